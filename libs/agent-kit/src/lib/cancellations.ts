import { fromBinary } from '@bufbuild/protobuf';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CancelRequestSchema, ErrorCode, SpineError, subjects, type CancelRequest } from '@spine/contracts';
import { NATS_CONNECTION } from '@spine/messaging';
import { AgentMetrics } from './agent-metrics.js';
import { AGENT, type AnyAgentDefinition } from './tokens.js';

/** One node run, the same across redeliveries: tenant, execution, node and attempt. */
export function runKey(tenantId: string, executionId: string, nodeId: string, attempt: number): string {
  return `${tenantId}:${executionId}:${nodeId}:${attempt}`;
}

/**
 * The node runs in progress on this instance, so that a CancelRequest on `spine.agent.<name>.cancel` aborts the
 * signal their handler holds (handlers pass `ctx.signal` to their I/O: LLM calls, HTTP, sleeps). Every instance
 * hears every cancel; one for a run that is not in progress here is counted and ignored.
 */
@Injectable()
export class Cancellations implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Cancellations.name);
  private readonly running = new Map<string, AbortController>();
  private subscription: Subscription | undefined;

  constructor(
    @Inject(AGENT) private readonly agent: AnyAgentDefinition,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly metrics: AgentMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(subjects.agentCancel(this.agent.name), {
      callback: (err, msg) => {
        if (!err) this.onMessage(msg);
      },
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** A signal for one run, aborted by a CancelRequest for it; `release` when the run ends. */
  track(key: string): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    this.running.set(key, controller);
    return { signal: controller.signal, release: () => this.running.get(key) === controller && this.running.delete(key) };
  }

  private onMessage(msg: Msg): void {
    let req: CancelRequest;
    try {
      req = fromBinary(CancelRequestSchema, msg.data);
    } catch (err) {
      return this.invalid(`not a CancelRequest: ${(err as Error).message}`);
    }
    if (!req.executionId || !req.nodeId || req.attempt < 1) return this.invalid('execution_id, node_id and attempt are required');
    const controller = this.running.get(runKey(req.tenantId, req.executionId, req.nodeId, req.attempt));
    this.metrics.cancels.inc({ agent: this.agent.name, outcome: controller ? 'aborted' : 'unknown' });
    if (!controller) return;
    this.logger.log({ msg: 'invoke.cancelled', executionId: req.executionId, nodeId: req.nodeId, attempt: req.attempt, reason: req.reason });
    controller.abort(new SpineError(ErrorCode.CANCELLED, `cancelled by the orchestrator${req.reason ? `: ${req.reason}` : ''}`, {}, false));
  }

  private invalid(problem: string): void {
    this.metrics.cancels.inc({ agent: this.agent.name, outcome: 'invalid' });
    this.logger.warn({ msg: 'invoke.cancel_invalid', code: 'INVALID_ARGUMENT', problem });
  }
}
