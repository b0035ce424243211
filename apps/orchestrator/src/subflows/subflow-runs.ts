import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode, errorCodeOf, SpineError, subjects } from '@spine/contracts';
import type { SubflowRef } from '@spine/flow';
import { NATS_CONNECTION } from '@spine/messaging';
import { backgroundFailure } from '@spine/observability';
import { addAbortListener } from 'node:events';
import { isParked } from '../core/parking.js';
import { FlowsService } from '../flows/flows.service.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import type { ExecutionDetail, Json } from '../store/execution.model.js';
import { cancelExecutionTree } from '../store/cancel-tree.js';
import { ExecutionsRepository } from '../store/executions.repository.js';
import { SubflowsRepository } from './subflows.repository.js';

/** One `flow` node run, as the engine hands it over. */
export interface SubflowRun {
  tenantId: string;
  executionId: string;
  nodeId: string;
  subflow: SubflowRef;
  input: JsonObject;
  /** What the parent has left of its token budget; null: no budget. */
  tokenBudget: number | null;
  /** The parent's absolute deadline (epoch ms); null: none. */
  deadlineMs: number | null;
  signal: AbortSignal;
  /** Called once the child exists and was found still running: from then on the parent may park (stop waiting here). */
  armed(): void;
}

export interface SubflowResult {
  output: JsonObject;
  tokens: number;
}

/** Tokens the child's node runs reported. */
function tokensOf(child: ExecutionDetail): number {
  return child.nodes.reduce((sum, n) => sum + Number((n.usage as { totalTokens?: string | number } | null)?.totalTokens ?? 0), 0);
}

function failureOf(child: ExecutionDetail): SpineError {
  const id = child.id;
  if (child.state === 'CANCELLED') return new SpineError(ErrorCode.CANCELLED, `sub-flow execution ${id} was cancelled`, { childExecutionId: id }, false);
  if (child.state === 'WAITING_INPUT') {
    return new SpineError(ErrorCode.FAILED_PRECONDITION, `sub-flow execution ${id} asks for input; a sub-flow must finish on its own`, { childExecutionId: id }, false);
  }
  const error = (child.error ?? {}) as { code?: string; message?: string; details?: Record<string, string> };
  const code = (error.code && errorCodeOf(error.code)) || ErrorCode.INTERNAL;
  return new SpineError(code, `sub-flow execution ${id} failed: ${error.message ?? 'no reason given'}`, { ...(error.details ?? {}), childExecutionId: id }, false);
}

/**
 * `flow` nodes on this replica: starts the node's child execution (or finds the one a previous holder started) with
 * the budget its parent has left, and waits until it settles. Children are claimed like any execution; the executor
 * hints (spine.orchestrator.work) when one ends, and a sweep every INBOX_SWEEP_MS looks at the waited children, so a
 * lost hint only delays. Stopping the wait cancels the child, unless the parent only parked.
 */
@Injectable()
export class SubflowRuns implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SubflowRuns.name);
  private readonly waiters = new Map<string, () => void>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly children: SubflowsRepository,
    private readonly executions: ExecutionsRepository,
    private readonly flows: FlowsService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(subjects.orchestratorWork, { callback: () => void this.look().catch(backgroundFailure(this.logger, 'subflows.look')) });
    this.timer = setInterval(() => void this.look().catch(backgroundFailure(this.logger, 'subflows.look')), this.config.INBOX_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** Starts (or finds) the node's child and resolves with the node's output once the child is DONE; rejects when it is not. */
  async run(r: SubflowRun): Promise<SubflowResult> {
    const child = await this.children.createChild({
      tenantId: r.tenantId,
      flowId: r.subflow.id,
      flowVersion: r.subflow.version,
      input: r.input as Json,
      parentExecutionId: r.executionId,
      parentNodeId: r.nodeId,
      tokenBudget: r.tokenBudget,
      deadlineMs: r.deadlineMs,
    });
    if (!child) throw new SpineError(ErrorCode.NOT_FOUND, `flow '${r.subflow.id}' has no version ${r.subflow.version}`, { flowId: r.subflow.id }, false);
    if (child.created) {
      this.logger.log({ msg: 'subflow.started', executionId: r.executionId, nodeId: r.nodeId, childExecutionId: child.id });
      this.nc.publish(subjects.orchestratorWork);
    }
    await this.waitFor(child.id, r);
    const settled = await this.executions.detail(child.id);
    if (!settled || settled.state !== 'DONE') throw settled ? failureOf(settled) : SpineError.notFound(`no execution '${child.id}'`);
    const tokens = tokensOf(settled);
    return { output: { executionId: child.id, output: await this.outputOf(settled), totalTokens: tokens }, tokens };
  }

  /** Cancels the node's child if it still runs: its parent ended while parked, so no waiter holds it. */
  async release(tenantId: string, executionId: string, nodeId: string): Promise<void> {
    const id = await this.children.childOf(executionId, nodeId);
    if (id !== undefined) await this.cancelChild(tenantId, id);
  }

  /** The child's answer: the output of the last node, in the flow's order, that succeeded. */
  private async outputOf(child: ExecutionDetail): Promise<JsonValue> {
    const plan = await this.flows.plan(child.tenantId, child.flowId, child.flowVersion);
    const succeeded = new Map(child.nodes.filter((n) => n.state === 'succeeded').map((n) => [n.nodeId, n.output as JsonValue]));
    const last = [...plan.order].reverse().find((id) => succeeded.has(id));
    return last === undefined ? null : (succeeded.get(last) ?? null);
  }

  private async cancelChild(tenantId: string, id: string): Promise<void> {
    await cancelExecutionTree(this.executions, tenantId, id, (held) => this.nc.publish(subjects.orchestratorCancel, held));
  }

  private waitFor(id: string, r: SubflowRun): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = addAbortListener(r.signal, () => {
        this.waiters.delete(id);
        // The parent stopped waiting (cancelled, failed elsewhere, ended): the child goes too. Parked, it only gave its slot back.
        if (!isParked(r.signal.reason)) void this.cancelChild(r.tenantId, id).catch(backgroundFailure(this.logger, 'subflows.cancel', { childExecutionId: id }));
        reject(SpineError.from(r.signal.reason));
      });
      this.waiters.set(id, () => {
        stop[Symbol.dispose]();
        this.waiters.delete(id);
        resolve();
      });
      // Only after this look may the parent park: a park that stopped the wait before it looked would miss a settled child.
      void this.look([id])
        .then(() => this.waiters.has(id) && r.armed())
        .catch(backgroundFailure(this.logger, 'subflows.look'));
    });
  }

  private async look(ids: readonly string[] = [...this.waiters.keys()]): Promise<void> {
    const waited = ids.filter((id) => this.waiters.has(id));
    if (waited.length === 0) return;
    for (const id of await this.children.settled(waited)) this.waiters.get(id)?.();
  }
}
