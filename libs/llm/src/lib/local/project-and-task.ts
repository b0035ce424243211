import type { Locale, NowContext, ToolCall, ToolDefinition } from '../llm.types.js';
import { extractArguments } from './slot-extractor.js';
import { ruledIntent } from './intent.rules.js';
import { foldKeepLength } from './text.js';

/** Where a project's first task begins: "… y una tarea en él: …", "… and a task: …", "… with a first task …". */
const AND_TASK = /\s(?:y|and|with|con)\s+(?:(?:add|create|put|make|crea|creale|anade|anadele|agrega|agregale|pon|ponle|mete|metele)\s+)?(?:una?|a|an|its|su)\s+(?:primera\s+|first\s+)?(?:tarea|task)\b/;

/**
 * "crea el proyecto Lyra y una tarea en él: definir alcance, para el viernes": the task of a project created in the
 * same message, in that project, when the message says all a task needs. Undefined otherwise (the project alone is
 * created; the reply names only what was done).
 */
export function taskInNewProject(said: string, project: { tool: ToolDefinition; args: Record<string, unknown> }, tools: readonly ToolDefinition[], ctx: { now: NowContext; locale: Locale }): ToolCall | undefined {
  const name = project.args['name'];
  const task = tools.find((t) => t.name === 'createTask');
  if (project.tool.name !== 'createProject' || typeof name !== 'string' || !task) return undefined;
  const at = AND_TASK.exec(foldKeepLength(said));
  if (!at) return undefined;
  const { args } = extractArguments(said.slice(at.index), task.parameters, { ...ctx, toolName: task.name });
  const full = { ...args, project: name };
  const required = (task.parameters['required'] as string[] | undefined) ?? [];
  if (required.some((f) => full[f as keyof typeof full] === undefined)) return undefined;
  return { id: 'call_local_createTask', name: task.name, arguments: full, rawArguments: JSON.stringify(full) };
}

export interface NewProjectTask {
  tool: ToolDefinition;
  /** The words about the task after "y una tarea (en él)". */
  said: string;
  project: string;
}

/**
 * "crea el proyecto Vega y una tarea" → "revisar requisitos, el lunes": the task the request asked for in its new
 * project, which the answers after it complete. Undefined when the request asks for no task.
 */
export function newProjectTask(said: string, project: ToolDefinition, tools: readonly ToolDefinition[], ctx: { now: NowContext; locale: Locale }): NewProjectTask | undefined {
  const task = tools.find((t) => t.name === 'createTask');
  const at = project.name === 'createProject' && task ? AND_TASK.exec(foldKeepLength(said)) : null;
  if (!task || !at) return undefined;
  const name = extractArguments(said, project.parameters, { ...ctx, toolName: project.name }).args['name'];
  // "… y una tarea para él": the pronoun is the project, no title or assignee.
  const rest = said.slice(at.index + at[0].length).replace(/^\s*(?:para|en|a|de|for|in|to|of)\s+(?:él|el|ella|it|this|that)\b/iu, '');
  return typeof name === 'string' ? { tool: task, said: rest, project: name } : undefined;
}

/** The question after a project is made when the message asked for a task in it too and no task was made (its details were not said). */
export function taskStillToAsk(said: string, toolsRun: readonly string[], locale: Locale): string | undefined {
  if (!toolsRun.includes('createProject') || toolsRun.includes('createTask') || !AND_TASK.test(foldKeepLength(said))) return undefined;
  return locale === 'en' ? 'What is the task in it? Tell me its title and when it is due.' : '¿Y la tarea? Dime su título y para cuándo es.'
}

/** "y una tarea para él: …", "and a task in it": a task in the project the conversation just made. */
const TASK_IN_IT = /^\s*(?:(?:y|and|tambien|also|ahora|now)\s+)*(?:crea\w*\s+|add\s+|create\s+|pon\w*\s+)?(?:una?|a|an|otra|another)\s+(?:tarea|task)\s+(?:para|en|in|for|to|a|de)\s+(?:el|ella|it|this|ese|este|that)\b/;

/** The project an earlier message of the conversation created, when `said` asks for a task in it; undefined otherwise. */
export function projectJustMade(said: string, earlier: readonly string[], tools: readonly ToolDefinition[], ctx: { now: NowContext; locale: Locale }): string | undefined {
  const project = tools.find((t) => t.name === 'createProject');
  if (!project || !TASK_IN_IT.test(foldKeepLength(said.toLowerCase()))) return undefined;
  for (const text of [...earlier].reverse()) {
    if (ruledIntent(text) !== 'create_project') continue;
    const name = extractArguments(text, project.parameters, { ...ctx, toolName: project.name }).args['name'];
    if (typeof name === 'string') return name;
  }
  return undefined;
}
