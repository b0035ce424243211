import type { Locale } from '@spine/llm';
import { callableTools, toolSpec, type ToolSpec } from '@spine/tool-catalog';
import type { FlowType, PlanRequest } from './plan.request.js';

const TOOL_OF_FLOW: Partial<Record<FlowType, string>> = {
  CreateTask: 'createTask',
  CreateProject: 'createProject',
  CreateUser: 'createUser',
  ScheduleMeeting: 'createCalendarEvent',
};

/** The flow type a planned tool belongs to. */
export function flowTypeOf(tool: string): FlowType {
  const entry = Object.entries(TOOL_OF_FLOW).find(([, t]) => t === tool);
  return (entry?.[0] as FlowType | undefined) ?? 'Other';
}

const TOOL_OF_INTENT: Record<string, string> = {
  create_task: 'createTask',
  create_project: 'createProject',
  create_user: 'createUser',
  schedule_meeting: 'createCalendarEvent',
  update_meeting: 'updateCalendarEvent',
  cancel_meeting: 'deleteCalendarEvent',
  complete_task: 'completeTask',
};

export type ToolChoice =
  /** Offer these tools; `forced` when the flow type names one. */
  | { kind: 'offer'; tools: readonly ToolSpec[]; forced?: string }
  /** Nothing may be planned; `reason` says why, in the user's language. */
  | { kind: 'blocked'; reason: string };

const ACTION: Record<string, Record<Locale, string>> = {
  createTask: { es: 'crear tareas', en: 'create tasks' },
  createProject: { es: 'crear proyectos', en: 'create projects' },
  createUser: { es: 'crear usuarios', en: 'create users' },
  createCalendarEvent: { es: 'agendar reuniones', en: 'schedule meetings' },
  updateCalendarEvent: { es: 'cambiar reuniones', en: 'change meetings' },
  deleteCalendarEvent: { es: 'cancelar reuniones', en: 'cancel meetings' },
};

/**
 * The tools the model may call: the flow's allowedTools, and among them those the user's roles
 * permit. A flow type names its tool; answering an earlier question leaves the choice open so the
 * request being answered is found in the history.
 */
export function chooseTools(req: PlanRequest): ToolChoice {
  const permitted = (t: ToolSpec) => req.allowedTools.has(t.name) && req.roles.some((r) => t.roles.includes(r));
  // ScheduleMeeting also covers moving and cancelling: the router's intent says which tool, when it knows one.
  const named = TOOL_OF_INTENT[req.intent] ?? (req.flowType && req.flowType !== 'ScheduleMeeting' ? TOOL_OF_FLOW[req.flowType] : undefined);
  // Only a question leaves a request open; a finished reply ("Listo: creé…") does not.
  const last = req.history.at(-1);
  const answering = last?.role === 'assistant' && last.text.includes('?');
  if (named && !answering) {
    const spec = toolSpec(named);
    const action = ACTION[named]?.[req.locale] ?? named;
    if (!spec || !req.allowedTools.has(spec.name)) {
      return { kind: 'blocked', reason: req.locale === 'es' ? `Este flujo no permite ${action}.` : `This flow does not allow you to ${action}.` };
    }
    if (!permitted(spec)) {
      const roles = spec.roles.join(', ');
      return { kind: 'blocked', reason: req.locale === 'es' ? `No tienes permiso para ${action} (requiere el rol ${roles}).` : `You are not allowed to ${action} (it needs the role ${roles}).` };
    }
    return { kind: 'offer', tools: [spec], forced: spec.name };
  }
  const tools = callableTools.filter(permitted);
  if (tools.length === 0) return { kind: 'blocked', reason: req.locale === 'es' ? 'Este flujo no tiene herramientas que puedas usar.' : 'This flow has no tools you may use.' };
  return { kind: 'offer', tools };
}
