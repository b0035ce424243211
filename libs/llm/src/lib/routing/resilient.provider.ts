import { ErrorCode, SpineError } from '@spine/contracts';
import { BrokenCircuitError, ExponentialBackoff, TaskCancelledError, handleWhen, retry, type CircuitBreakerPolicy } from 'cockatiel';
import { assertCallable, callScope } from '../call-signal.js';
import { isRetryable, llmErrors, warrantsFallback } from '../llm.errors.js';
import type { Completion, CompletionRequest, EmbedOptions, Embeddings, LlmProvider, StreamChunk } from '../llm.types.js';

/** One step of a fallback chain: a provider and the model to ask it for. */
export interface ChainStep {
  provider: LlmProvider;
  model: string;
  breaker: CircuitBreakerPolicy;
}

export interface RetryOptions {
  /** Attempts per step, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Something the router reports for each failed attempt (for logs and metrics). */
export type AttemptListener = (event: { provider: string; model: string; attempt: number; error: SpineError }) => void;

/**
 * Runs a call along a fallback chain (seed 000 §2.5): each step retried with exponential backoff
 * on retryable errors behind its provider's circuit breaker, then the next step. A stream falls
 * back only before its first chunk; after that a failure reaches the caller.
 */
export class ResilientProvider implements LlmProvider {
  readonly name: string;

  constructor(
    private readonly chain: readonly ChainStep[],
    private readonly retryOptions: RetryOptions,
    private readonly onFailure: AttemptListener = () => undefined,
  ) {
    this.name = chain.map((s) => `${s.provider.name}:${s.model}`).join('>');
  }

  complete(req: CompletionRequest): Promise<Completion> {
    return this.run(req, (step) => step.provider.complete({ ...req, model: step.model }));
  }

  async *stream(req: CompletionRequest): AsyncIterable<StreamChunk> {
    const opened = await this.run(req, async (step) => {
      const iterator = step.provider.stream({ ...req, model: step.model })[Symbol.asyncIterator]();
      const first = await iterator.next();
      return { iterator, first };
    });
    if (opened.first.done) return;
    yield opened.first.value;
    for (let next = await opened.iterator.next(); !next.done; next = await opened.iterator.next()) yield next.value;
  }

  /** Retried on the first step only: vectors from another provider would not match those already stored. */
  embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Embeddings> {
    return this.run(options, (step) => step.provider.embed(texts, options), this.chain.slice(0, 1));
  }

  private async run<T>(opts: { signal?: AbortSignal; deadline?: number }, call: (step: ChainStep) => Promise<T>, chain = this.chain): Promise<T> {
    let last: SpineError = llmErrors.unavailable(this.name, 'no provider in the chain');
    for (const step of chain) {
      assertCallable(this.name, opts);
      try {
        return await this.attempt(step, opts, call);
      } catch (err) {
        last = err instanceof SpineError ? err : SpineError.from(err);
        if (!warrantsFallback(last)) throw last;
      }
    }
    throw last;
  }

  private attempt<T>(step: ChainStep, opts: { signal?: AbortSignal; deadline?: number }, call: (step: ChainStep) => Promise<T>): Promise<T> {
    const policy = retry(handleWhen(isRetryable), {
      maxAttempts: Math.max(0, this.retryOptions.maxAttempts - 1),
      backoff: new ExponentialBackoff({ initialDelay: this.retryOptions.initialDelayMs, maxDelay: this.retryOptions.maxDelayMs }),
    });
    const scope = callScope(this.name, opts);
    return policy
      .execute(async ({ attempt }) => {
        // Do not start an attempt whose backoff ran into the deadline.
        assertCallable(step.provider.name, opts);
        try {
          return await step.breaker.execute(() => call(step));
        } catch (err) {
          const error = toSpineError(err, step);
          this.onFailure({ provider: step.provider.name, model: step.model, attempt: attempt + 1, error });
          throw error;
        }
      }, scope.signal)
      .catch((err: unknown) => {
        if (err instanceof TaskCancelledError) throw scope.abortError();
        throw err;
      });
  }
}

function toSpineError(err: unknown, step: ChainStep): SpineError {
  if (err instanceof BrokenCircuitError) {
    // Not retryable on this step (the breaker is open), but the next step may answer.
    return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `${step.provider.name}: circuit open`, { provider: step.provider.name, circuit: 'open' }, false);
  }
  return err instanceof SpineError ? err : SpineError.from(err);
}
