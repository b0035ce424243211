import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../../orchestrator.config.js';

/** Failures that say the agent itself is in trouble (not that the request was bad). */
const AGENT_FAULTS = new Set<ErrorCode>([ErrorCode.AGENT_UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.INTERNAL]);

export type BreakerState = 'closed' | 'open' | 'half-open';

/** One cockatiel circuit breaker per agent: N consecutive agent faults open it; after the cool-down one trial call decides. */
@Injectable()
export class AgentBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(@Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig) {}

  async call<T>(agent: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.breakerOf(agent).execute(fn);
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `circuit open for agent '${agent}' after repeated failures`, { agent, reason: 'circuit_open' }, false);
      }
      throw err;
    }
  }

  state(agent: string): BreakerState {
    const state = this.breakers.get(agent)?.state ?? CircuitState.Closed;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /** Every agent this replica has called, with its breaker's state. */
  snapshot(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers.keys()].sort().map((agent) => [agent, this.state(agent)]));
  }

  private breakerOf(agent: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(agent);
    if (!breaker) {
      const isFault = (err: unknown) => err instanceof SpineError && AGENT_FAULTS.has(err.code);
      breaker = circuitBreaker(handleWhen(isFault), { halfOpenAfter: this.config.BREAKER_COOLDOWN_MS, breaker: new ConsecutiveBreaker(this.config.BREAKER_FAILURES) });
      this.breakers.set(agent, breaker);
    }
    return breaker;
  }
}
