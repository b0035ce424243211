import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { Clock } from '../core/clock.js';
import type { Principal } from '../auth/principal.js';
import { SETTLED, type Json } from '../store/execution.model.js';
import { ExecutionsService, type ExecutionView } from '../executions/executions.service.js';
import { FlowsService, type FlowVersionView } from '../flows/flows.service.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';

const WAIT_SLICE_MS = 60_000;

/** What the A2A surface needs from flows and executions, tenant-scoped like the REST API. */
@Injectable()
export class A2aService {
  constructor(
    private readonly flows: FlowsService,
    private readonly executions: ExecutionsService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    /** Also the A2A executor's clock (task status timestamps). */
    readonly clock: Clock,
  ) {}

  /** The flow behind `/a2a/{tenant}/{flowId}`: only the key's own tenant's flows exist (another tenant's: not found). */
  async flowOf(p: Principal, tenant: string, flowId: string): Promise<FlowVersionView> {
    if (tenant !== p.tenantId) throw SpineError.notFound(`no flow '${flowId}'`);
    return this.flows.get(p.tenantId, flowId);
  }

  start(tenantId: string, flow: FlowVersionView, input: Json): Promise<{ id: string }> {
    return this.executions.start(tenantId, flow.id, input, { version: flow.version });
  }

  /** Waits until the execution settles or A2A_WAIT_MS passes, then reads it. */
  async settle(tenantId: string, id: string): Promise<ExecutionView> {
    const until = this.clock.nowMs() + this.config.A2A_WAIT_MS;
    for (;;) {
      const view = await this.executions.waitFor(tenantId, id, Math.max(1, Math.min(WAIT_SLICE_MS, until - this.clock.nowMs())));
      if (SETTLED.includes(view.state) || this.clock.nowMs() >= until) return view;
    }
  }

  /** The execution behind a task of this flow, or undefined (unknown id, another tenant's, another flow's). */
  async execution(tenantId: string, flowId: string, id: string): Promise<ExecutionView | undefined> {
    try {
      const view = await this.executions.get(tenantId, id);
      return view.flowId === flowId ? view : undefined;
    } catch (err) {
      if (err instanceof SpineError && err.code === ErrorCode.NOT_FOUND) return undefined;
      throw err;
    }
  }

  async cancel(tenantId: string, id: string): Promise<void> {
    try {
      await this.executions.cancel(tenantId, id);
    } catch (err) {
      // Already ended: nothing to cancel.
      if (!(err instanceof SpineError && err.code === ErrorCode.FAILED_PRECONDITION)) throw err;
    }
  }
}
