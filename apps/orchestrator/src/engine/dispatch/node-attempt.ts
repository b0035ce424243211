import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { ErrorCode, SpineError } from '@spine/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock.js';
import type { AgentDispatcher } from './agent-dispatcher.js';
import { SpentAgentError, type Dispatch } from './dispatch.js';

/** How one attempt of a node ended. */
export type Outcome =
  | { nodeId: string; attempt: number; ok: true; output: JsonValue; usage: JsonObject | null; tokens: number; startedAt: number }
  | { nodeId: string; attempt: number; ok: false; error: SpineError; startedAt: number; tokens?: number; usage?: JsonObject | null };

export interface AttemptTiming {
  /** Wait before sending (a retry's backoff). */
  delayMs: number;
  nodeTimeoutMs: number;
  /** The flow's absolute deadline (creation + maxExecutionTimeMs), if it has a budget. */
  flowDeadline: number | undefined;
  budgetMs: number | undefined;
}

/**
 * One attempt of a node on its agent, with the deadline that is nearer: the node's timeout or the flow's budget.
 * Never throws: a failure is an outcome, and running out of time is a TIMEOUT of the node (retryable) or of the flow
 * (final).
 */
export async function runAttempt(dispatcher: AgentDispatcher, request: Omit<Dispatch, 'deadline'>, t: AttemptTiming, clock: Clock): Promise<Outcome> {
  const { nodeId, attempt, signal } = request;
  // A cancel during a retry's backoff means the attempt is never sent.
  // The sleep rejects only when aborted, which the next line turns into the outcome.
  if (t.delayMs > 0) await sleep(t.delayMs, undefined, signal ? { signal } : {}).catch(() => undefined);
  if (signal?.aborted) return { nodeId, attempt, ok: false, error: SpineError.from(signal.reason), startedAt: clock.nowMs() };
  const startedAt = clock.nowMs();
  const deadline = Math.min(startedAt + t.nodeTimeoutMs, t.flowDeadline ?? Infinity);
  try {
    if (t.flowDeadline !== undefined && startedAt >= t.flowDeadline) throw budgetTimeout(t.budgetMs);
    const result = await dispatcher.dispatch({ ...request, deadline });
    return { nodeId, attempt, ok: true, output: result.output, usage: result.usage, tokens: result.totalTokens, startedAt };
  } catch (err) {
    const spent = err instanceof SpentAgentError ? { tokens: err.totalTokens, usage: err.usage } : {};
    return { nodeId, attempt, ok: false, error: timeoutOf(SpineError.from(err), deadline, t, clock.nowMs()), startedAt, ...spent };
  }
}

function timeoutOf(error: SpineError, deadline: number, t: AttemptTiming, now: number): SpineError {
  if (error.code !== ErrorCode.DEADLINE_EXCEEDED && error.code !== ErrorCode.TIMEOUT) return error;
  if (t.flowDeadline !== undefined && deadline >= t.flowDeadline && now >= t.flowDeadline - 5) return budgetTimeout(t.budgetMs);
  return new SpineError(ErrorCode.TIMEOUT, `node timed out after ${t.nodeTimeoutMs} ms`, { reason: 'node_timeout' }, true);
}

function budgetTimeout(budgetMs: number | undefined): SpineError {
  return new SpineError(ErrorCode.TIMEOUT, `execution exceeded maxExecutionTimeMs (${budgetMs} ms)`, { reason: 'execution_budget', maxExecutionTimeMs: String(budgetMs) }, false);
}
