import { twoRequests } from '@spine/llm';
import { callableTools, toolSpec, type ToolSpec } from '@spine/tool-catalog';
import type { FlowType, PlanRequest } from './plan.request.js';

/** The flow type a planned tool belongs to (its catalog entry's `flowType`). */
export function flowTypeOf(tool: string): FlowType {
  return toolSpec(tool)?.flowType ?? 'Other';
}

/** The tool the router's intent names ("create_task" → createTask), or the one that carries out a flow type. */
function namedTool(req: PlanRequest): ToolSpec | undefined {
  const byIntent = callableTools.find((t) => t.intent && t.intent === req.intent);
  // ScheduleMeeting also covers moving and cancelling: only the router's intent says which tool.
  return byIntent ?? (req.flowType && req.flowType !== 'ScheduleMeeting' ? callableTools.find((t) => t.flowType === req.flowType) : undefined);
}

/**
 * Tools a named one may bring along in the same plan: a new project's first task ("crea el proyecto Lyra y una tarea
 * en él: …"), or whatever a second request in the message asks for ("… y agenda una reunión con Pedro…").
 */
function companions(spec: ToolSpec, text: string): ToolSpec[] {
  if (twoRequests(text)) return callableTools.filter((t) => t.name !== spec.name);
  const task = spec.name === 'createProject' ? toolSpec('createTask') : undefined;
  return task ? [task] : [];
}

export type ToolChoice =
  /** Offer these tools; `forced` when the flow type names one. */
  | { kind: 'offer'; tools: readonly ToolSpec[]; forced?: string }
  /** Nothing may be planned; `reason` says why, in the user's language. */
  | { kind: 'blocked'; reason: string };

/**
 * The tools the model may call: the flow's allowedTools, and among them those the user's roles
 * permit. A flow type names its tool; answering an earlier question leaves the choice open so the
 * request being answered is found in the history.
 */
export function chooseTools(req: PlanRequest): ToolChoice {
  const permitted = (t: ToolSpec) => req.allowedTools.has(t.name) && req.roles.some((r) => t.roles.includes(r));
  // ScheduleMeeting also covers moving and cancelling: the router's intent says which tool, when it knows one.
  const named = namedTool(req);
  // Only a question leaves a request open; a finished reply ("Listo: creé…") does not.
  const last = req.history.at(-1);
  const answering = last?.role === 'assistant' && last.text.includes('?');
  if (named && !answering) {
    const spec = named;
    const action = spec.action[req.locale];
    if (!req.allowedTools.has(spec.name)) {
      return { kind: 'blocked', reason: req.locale === 'es' ? `Este flujo no permite ${action}.` : `This flow does not allow you to ${action}.` };
    }
    if (!permitted(spec)) {
      const roles = spec.roles.join(', ');
      return { kind: 'blocked', reason: req.locale === 'es' ? `No tienes permiso para ${action} (requiere el rol ${roles}).` : `You are not allowed to ${action} (it needs the role ${roles}).` };
    }
    return { kind: 'offer', tools: [spec, ...companions(spec, req.text).filter(permitted)], forced: spec.name };
  }
  const tools = callableTools.filter(permitted);
  if (tools.length === 0) return { kind: 'blocked', reason: req.locale === 'es' ? 'Este flujo no tiene herramientas que puedas usar.' : 'This flow has no tools you may use.' };
  return { kind: 'offer', tools };
}
