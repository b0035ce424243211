import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { AGENT, type AnyAgentDefinition } from './tokens.js';

/** Per-agent request count, duration histogram and error count, on the process's /metrics. */
@Injectable()
export class AgentMetrics {
  readonly requests: Counter<'agent' | 'outcome'>;
  readonly errors: Counter<'agent' | 'code'>;
  readonly duration: Histogram<'agent'>;
  readonly replays: Counter<'agent'>;
  readonly cancels: Counter<'agent' | 'outcome'>;
  readonly agent: string;

  constructor(registry: Registry, @Inject(AGENT) agent: AnyAgentDefinition) {
    this.agent = agent.name;
    this.requests = new Counter({
      name: 'spine_agent_requests_total',
      help: 'Invoke requests handled, by outcome (ok or error)',
      labelNames: ['agent', 'outcome'],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'spine_agent_errors_total',
      help: 'Invoke requests that failed, by error code',
      labelNames: ['agent', 'code'],
      registers: [registry],
    });
    this.replays = new Counter({
      name: 'spine_agent_replays_total',
      help: 'Invoke requests answered from an earlier run of the same execution, node and attempt (redeliveries)',
      labelNames: ['agent'],
      registers: [registry],
    });
    this.cancels = new Counter({
      name: 'spine_agent_cancels_total',
      help: 'CancelRequests received: aborted (the run was in progress here), unknown (not running here), invalid',
      labelNames: ['agent', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'spine_agent_request_duration_seconds',
      help: 'Time to handle one invoke request',
      labelNames: ['agent'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }
}
