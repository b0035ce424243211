import type { ExecutionStateName } from '../../store/execution.model.js';

/**
 * Seed 004's states follow the built-in agents' work: a node on one of these agents moves the execution on when
 * it starts or when it succeeds. Flows on other agents go RECEIVED → DONE, with every node visible in node_runs.
 */
const ON_START: Record<string, ExecutionStateName> = {
  'tool-executor': 'EXECUTING_TOOLS',
  streamer: 'STREAMING_RESPONSE',
};

const ON_SUCCESS: Record<string, ExecutionStateName> = {
  router: 'TRIAGED',
  retrieval: 'RETRIEVED_CONTEXT',
  planner: 'PLANNED',
};

const ORDER: readonly ExecutionStateName[] = ['RECEIVED', 'TRIAGED', 'RETRIEVED_CONTEXT', 'PLANNED', 'EXECUTING_TOOLS', 'STREAMING_RESPONSE', 'PERSISTED_EVENT', 'DONE'];

/** The state a node event moves the execution to, if it moves it forward (states never go back). */
export function nextState(current: ExecutionStateName, agent: string | undefined, event: 'start' | 'success'): ExecutionStateName | undefined {
  const target = agent === undefined ? undefined : (event === 'start' ? ON_START : ON_SUCCESS)[agent];
  if (!target) return undefined;
  return ORDER.indexOf(target) > ORDER.indexOf(current) ? target : undefined;
}

/**
 * The planner asked the user for missing fields: the execution waits for input instead of finishing DONE.
 * Output field as the planner writes it in JSON (`ready: false`).
 */
export function waitsForInput(agent: string | undefined, output: unknown): boolean {
  return agent === 'planner' && typeof output === 'object' && output !== null && (output as { ready?: unknown }).ready === false;
}
