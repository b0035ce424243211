import { ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { isRetryable, llmErrors } from '../llm.errors.js';
import type { LlmProvider } from '../llm.types.js';
import { ResilientProvider, type AttemptListener, type ChainStep, type RetryOptions } from './resilient.provider.js';

export interface ProviderRegistration {
  provider: LlmProvider;
  /** The model asked for when a ref names only the provider ("openai"). */
  defaultModel: string;
  /** Models this provider serves; '*' for a proxy that serves whatever it is asked. */
  models: readonly string[] | '*';
}

export interface ModelRouterOptions {
  providers: readonly ProviderRegistration[];
  /** Used when a node names no model: "local", "openai", "openai:gpt-4o-mini". */
  defaultModel: string;
  /** Tried in order after the node's own model; dropped where the node's allowedModels exclude them. */
  fallback?: readonly string[];
  retry?: Partial<RetryOptions>;
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  onFailure?: AttemptListener;
}

/** What a flow node says about its model (the flow's `model` and the scope's `allowedModels`). */
export interface NodeModelSpec {
  model?: string;
  fallback?: readonly string[];
  /** Absent: any model. Entries are "gpt-4o-mini", "openai:gpt-4o-mini", "openai:*" or "*". */
  allowedModels?: readonly string[];
}

/**
 * The spec of a node from its wire fields (InvokeRequest.model, scope.allowed_models), where proto3
 * cannot tell "unset" from empty: an empty model means the default, an empty list means no restriction.
 */
export function nodeModelSpec(model: string, allowedModels: readonly string[]): NodeModelSpec {
  return { ...(model ? { model } : {}), ...(allowedModels.length > 0 ? { allowedModels } : {}) };
}

export interface ResolvedModel {
  provider: string;
  model: string;
  /** "provider:model". */
  ref: string;
}

/** Provider per node, checked against allowedModels, with a fallback chain, retries and breakers. */
export class ModelRouter {
  private readonly registrations = new Map<string, ProviderRegistration>();
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly retry: RetryOptions;

  constructor(private readonly opts: ModelRouterOptions) {
    for (const r of opts.providers) this.registrations.set(r.provider.name, r);
    this.retry = { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000, ...opts.retry };
    for (const r of opts.providers) {
      const breaker = opts.breaker ?? {};
      this.breakers.set(r.provider.name, circuitBreaker(handleWhen(isRetryable), { halfOpenAfter: breaker.halfOpenAfterMs ?? 10_000, breaker: new ConsecutiveBreaker(breaker.consecutiveFailures ?? 5) }));
    }
  }

  /** "openai:gpt-4o-mini", "openai" (its default model) or a bare model name a provider serves. */
  resolve(ref: string): ResolvedModel {
    const [head = '', ...rest] = ref.split(':');
    const named = this.registrations.get(head);
    if (named && rest.length) return this.served(named, rest.join(':'), ref);
    if (named) return this.served(named, named.defaultModel, ref);
    const serving = [...this.registrations.values()].find((r) => r.models !== '*' && r.models.includes(ref)) ?? [...this.registrations.values()].find((r) => r.models === '*');
    if (!serving) throw llmErrors.invalid(`model ${ref} is served by no configured provider`, { model: ref });
    return this.served(serving, ref, ref);
  }

  /**
   * The provider a flow node talks to. A node model outside allowedModels is refused with
   * PERMISSION_DENIED before anything is called; fallbacks outside it are left out of the chain.
   */
  forNode(spec: NodeModelSpec = {}): LlmProvider {
    const primary = this.resolve(spec.model ?? this.opts.defaultModel);
    if (!allowed(primary, spec.allowedModels)) {
      throw llmErrors.permissionDenied(`model ${primary.ref} is not in this flow's allowedModels`, { model: primary.ref, allowedModels: (spec.allowedModels ?? []).join(',') });
    }
    const chain = [primary];
    for (const ref of spec.fallback ?? this.opts.fallback ?? []) {
      const step = this.resolve(ref);
      if (allowed(step, spec.allowedModels) && !chain.some((c) => c.ref === step.ref)) chain.push(step);
    }
    return new ResilientProvider(chain.map((c) => this.step(c)), this.retry, this.opts.onFailure);
  }

  private step(resolved: ResolvedModel): ChainStep {
    const registration = this.registrations.get(resolved.provider);
    const breaker = this.breakers.get(resolved.provider);
    if (!registration || !breaker) throw llmErrors.invalid(`unknown provider ${resolved.provider}`);
    return { provider: registration.provider, model: resolved.model, breaker };
  }

  private served(r: ProviderRegistration, model: string, ref: string): ResolvedModel {
    if (r.models !== '*' && !r.models.includes(model)) throw llmErrors.invalid(`provider ${r.provider.name} does not serve model ${model}`, { model: ref });
    return { provider: r.provider.name, model, ref: `${r.provider.name}:${model}` };
  }
}

function allowed(m: ResolvedModel, allowedModels: readonly string[] | undefined): boolean {
  if (!allowedModels) return true;
  return allowedModels.some((a) => a === '*' || a === m.model || a === m.ref || a === `${m.provider}:*`);
}
