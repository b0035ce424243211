import type { Locale, NowContext, ToolCall, ToolDefinition } from '../llm.types.js';
import { extractArguments } from './slot-extractor.js';
import { foldKeepLength } from './text.js';

/** Where a project's first task begins: "… y una tarea en él: …", "… and a task: …", "… with a first task …". */
const AND_TASK = /\s(?:y|and|with|con)\s+(?:una?|a|an|its|su)\s+(?:primera\s+|first\s+)?(?:tarea|task)\b/;

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
