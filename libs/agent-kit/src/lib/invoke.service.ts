import { create } from '@bufbuild/protobuf';
import { anyIs, anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, errorCodeName, InvokeResponseSchema, SpineError, UsageSchema, type InvokeRequest, type InvokeResponse, type Usage } from '@spine/contracts';
import type { CallContext } from '@spine/messaging';
import { runInScope, currentScope } from '@spine/observability';
import type { InvokeContext } from './agent-definition.js';
import { LRUCache } from 'lru-cache';
import { AgentMetrics } from './agent-metrics.js';
import { Cancellations, runKey } from './cancellations.js';
import { AGENT, AGENT_HANDLER, type AnyAgentDefinition, type AnyAgentHandler } from './tokens.js';

/** What a run reported spending, kept apart from its reply so a failure can carry it too. */
interface Spent {
  usage?: Usage;
}

/** Unpacks the typed input, runs the agent's handler, packs its output; failures become a coded error in the response. */
@Injectable()
export class InvokeService {
  private readonly logger = new Logger(InvokeService.name);
  private running = 0;
  /**
   * Replies by execution, node and attempt. An orchestrator that resumes a dead replica's execution sends the node
   * that was running again with the same attempt: it joins the run in progress, or gets the reply already made,
   * instead of running the handler (and its side effects) twice. Failures that may pass are not kept.
   */
  private readonly replays = new LRUCache<string, Promise<InvokeResponse>>({ max: 10_000, ttl: 10 * 60_000 });

  constructor(
    @Inject(AGENT) private readonly agent: AnyAgentDefinition,
    @Inject(AGENT_HANDLER) private readonly handler: AnyAgentHandler,
    private readonly metrics: AgentMetrics,
    private readonly cancellations: Cancellations,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  invoke(req: InvokeRequest, call: CallContext): Promise<InvokeResponse> {
    if (!req.executionId || !req.nodeId) return this.invokeOnce(req, call);
    const key = runKey(req.tenantId || call.tenantId || '', req.executionId, req.nodeId, req.attempt);
    const known = this.replays.get(key);
    if (known) {
      this.metrics.replays.inc({ agent: this.agent.name });
      return known;
    }
    const reply = this.invokeOnce(req, call, key);
    this.replays.set(key, reply);
    void reply.then((res) => {
      if (res.error?.retryable) this.replays.delete(key);
    });
    return reply;
  }

  private async invokeOnce(req: InvokeRequest, call: CallContext, key?: string): Promise<InvokeResponse> {
    const stopTimer = this.metrics.duration.startTimer({ agent: this.agent.name });
    this.running++;
    // Usage the handler reported before it failed still goes back: tokens spent on a failed node count against the flow's budget.
    const spent: Spent = {};
    try {
      const scope = { ...currentScope(), tenantId: req.tenantId || call.tenantId, executionId: req.executionId, nodeId: req.nodeId };
      const response = await runInScope(scope, () => this.run(req, call, spent, key));
      this.metrics.requests.inc({ agent: this.agent.name, outcome: 'ok' });
      return response;
    } catch (err) {
      const error = SpineError.from(err);
      if (error.code === ErrorCode.INTERNAL) this.logger.error({ msg: 'invoke.failed', err });
      this.metrics.requests.inc({ agent: this.agent.name, outcome: 'error' });
      this.metrics.errors.inc({ agent: this.agent.name, code: errorCodeName(error.code) });
      return create(InvokeResponseSchema, { error: error.toMessage(), ...(spent.usage ? { usage: spent.usage } : {}) });
    } finally {
      this.running--;
      stopTimer();
    }
  }

  private async run(req: InvokeRequest, call: CallContext, spent: Spent, key: string | undefined): Promise<InvokeResponse> {
    if (this.running > this.agent.maxConcurrency) {
      throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `${this.agent.name} is at its limit of ${this.agent.maxConcurrency} requests`);
    }
    const input = this.unpack(req);
    // The handler's signal aborts at the deadline, or when the orchestrator cancels this run (see Cancellations).
    const cancel = key ? this.cancellations.track(key) : undefined;
    try {
      return await this.handle(req, call, input, cancel ? AbortSignal.any([call.signal, cancel.signal]) : call.signal, spent);
    } finally {
      cancel?.release();
    }
  }

  private async handle(req: InvokeRequest, call: CallContext, input: ReturnType<InvokeService['unpack']>, signal: AbortSignal, spent: Spent): Promise<InvokeResponse> {
    const ctx: InvokeContext = {
      executionId: req.executionId,
      nodeId: req.nodeId,
      attempt: req.attempt,
      tenantId: req.tenantId || call.tenantId || '',
      scope: req.scope,
      context: (req.context ?? {}) as InvokeContext['context'],
      model: req.model,
      deadline: call.deadline,
      signal,
      reportUsage: (u) =>
        (spent.usage = create(UsageSchema, { promptTokens: BigInt(u.promptTokens), completionTokens: BigInt(u.completionTokens), totalTokens: BigInt(u.totalTokens), model: u.model })),
    };
    const output = await this.handler.handle(input, ctx);
    return create(InvokeResponseSchema, { output: anyPack(this.agent.output, create(this.agent.output, output)), usage: spent.usage });
  }

  private unpack(req: InvokeRequest) {
    const expected = this.agent.input.typeName;
    if (!req.input) throw SpineError.invalid(`input is required: a ${expected}`, { field: 'input' });
    if (!anyIs(req.input, this.agent.input)) {
      throw SpineError.invalid(`input must be a ${expected}, got ${req.input.typeUrl || 'no type'}`, { field: 'input', expected });
    }
    try {
      const input = anyUnpack(req.input, this.agent.input);
      if (input) return input;
    } catch {
      // fall through to the coded error
    }
    throw SpineError.invalid(`input is not a valid ${expected}`, { field: 'input', expected });
  }
}
