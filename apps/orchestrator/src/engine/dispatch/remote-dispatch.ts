import { create, toJson, type JsonObject, type JsonValue } from '@bufbuild/protobuf';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ErrorCode, SpineError, spineRegistry, Transport, UsageSchema } from '@spine/contracts';
import { A2aAgentInvoker, GrpcAgentInvoker, HttpAgentInvoker, OutputValidator, type RemoteInvokeResult } from '@spine/remote-agents';
import { A2A_LABELS } from '../../a2a/card/a2a-card.mapper.js';
import type { DirectoryEntry } from '../../agents/agent-directory.js';
import { Clock } from '../../core/clock.js';
import { AgentEndpointPolicy } from '../../core/agent-endpoint.policy.js';
import { AgentSecretsRepository } from '../../agents/agent-secrets.repository.js';
import { SecretBox } from '../../agents/secret-box.js';
import { AgentBreakers } from './agent-breakers.js';
import type { Dispatch, DispatchResult } from './dispatch.js';

export const isRemote = (entry: DirectoryEntry): boolean =>
  entry.card.transport === Transport.HTTP || entry.card.transport === Transport.GRPC || entry.card.transport === Transport.A2A;

/**
 * Runs a node on a third-party agent: `POST {endpoint}/process` or `AgentService/Invoke`, both signed, with the seed 001
 * body `{ input, context, config }`, the card's timeout cut to the node's deadline, the output checked against the
 * card's outputSchema, behind the same per-agent breaker as built-ins. Only the owner tenant's executions may use it.
 */
@Injectable()
export class RemoteDispatch implements OnModuleDestroy {
  private invokers: { http: HttpAgentInvoker; grpc: GrpcAgentInvoker; a2a: A2aAgentInvoker } | undefined;
  /** A2A output is checked after the breaker saw the call succeed (as the agent answered), not inside it. */
  private readonly validator = new OutputValidator();
  /** Opened secrets by name and registration time: a re-registered agent (new secret) misses the cache. */
  private readonly secretCache = new Map<string, string>();

  constructor(
    private readonly breakers: AgentBreakers,
    private readonly secrets: AgentSecretsRepository,
    private readonly box: SecretBox,
    private readonly endpoints: AgentEndpointPolicy,
    private readonly clock: Clock,
  ) {}

  async onModuleDestroy(): Promise<void> {
    this.invokers?.grpc.close();
    await this.invokers?.http.close();
    await this.invokers?.a2a.close();
  }

  async dispatch(d: Dispatch, entry: DirectoryEntry): Promise<DispatchResult> {
    // Another tenant's agent answers exactly like an unknown one.
    if (entry.tenantId !== d.tenantId) throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `agent '${d.agent}' is not registered`, { agent: d.agent });
    if (entry.healthy === 0) throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `agent '${d.agent}' has no healthy instance`, { agent: d.agent });
    const remainingMs = d.deadline - this.clock.nowMs();
    if (remainingMs <= 0) throw new SpineError(ErrorCode.DEADLINE_EXCEEDED, `no time left to call agent '${d.agent}'`, { agent: d.agent });
    const card = entry.card;
    const request = {
      endpoint: card.endpoint,
      input: d.input,
      context: d.context,
      config: d.config ?? configOf(d.context),
      timeoutMs: Math.min(card.limits?.timeoutMs || remainingMs, remainingMs),
      ...(card.outputSchemaJson ? { outputSchema: card.outputSchemaJson } : {}),
      // A cancel aborts the HTTP request or the gRPC call, which the agent sees go away (A2A: CancelTask).
      ...(d.signal ? { signal: d.signal } : {}),
    };
    const policy = this.endpoints.policy;
    const { http, grpc, a2a } = (this.invokers ??= { http: new HttpAgentInvoker({ policy }), grpc: new GrpcAgentInvoker({ policy }), a2a: new A2aAgentInvoker({ policy }) });
    let result: RemoteInvokeResult;
    try {
      if (card.transport === Transport.A2A) {
        const a2aRequest = { endpoint: card.endpoint, agent: d.agent, protocolVersion: card.labels[A2A_LABELS.protocolVersion] ?? '1.0', input: d.input, executionId: d.executionId, nodeId: d.nodeId, timeoutMs: request.timeoutMs, ...(d.signal ? { signal: d.signal } : {}) };
        const { output } = await this.breakers.call(d.agent, () => a2a.invoke(a2aRequest));
        if (card.outputSchemaJson) this.validator.check(card.outputSchemaJson, output);
        result = { output };
      } else if (card.transport === Transport.HTTP) {
        const secret = await this.secretOf(d, entry);
        result = await this.breakers.call(d.agent, () => http.invoke({ ...request, secret }));
      } else {
        const secret = await this.secretOf(d, entry);
        result = await this.breakers.call(d.agent, () =>
          grpc.invoke({ ...request, secret, executionId: d.executionId, nodeId: d.nodeId, attempt: d.attempt, tenantId: d.tenantId, model: d.model }),
        );
      }
    } catch (err) {
      throw capRetries(SpineError.from(err), d, entry);
    }
    const usage = result.usage ? create(UsageSchema, { ...result.usage, promptTokens: BigInt(result.usage.promptTokens), completionTokens: BigInt(result.usage.completionTokens), totalTokens: BigInt(result.usage.totalTokens) }) : undefined;
    return {
      output: (result.output ?? {}) as JsonValue,
      totalTokens: result.usage?.totalTokens ?? 0,
      usage: usage ? (toJson(UsageSchema, usage, { registry: spineRegistry, alwaysEmitImplicit: true }) as JsonObject) : null,
    };
  }

  private async secretOf(d: Dispatch, entry: DirectoryEntry): Promise<string> {
    const registered = entry.instances[0]?.registeredAt;
    const key = `${d.agent}@${registered?.seconds ?? 0}.${registered?.nanos ?? 0}`;
    const cached = this.secretCache.get(key);
    if (cached) return cached;
    const sealed = await this.secrets.get(d.tenantId, d.agent);
    if (!sealed) throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `agent '${d.agent}' has no signing secret; register it again`, { agent: d.agent }, false);
    const secret = this.box.open(sealed);
    this.secretCache.set(key, secret);
    return secret;
  }
}

/** The publisher's retry policy bounds the node's: past its max attempts, a failure is final. */
function capRetries(err: SpineError, d: Dispatch, entry: DirectoryEntry): SpineError {
  const max = entry.instances[0]?.external?.retry?.maxAttempts ?? 0;
  if (!err.retryable || max === 0 || d.attempt < max) return err;
  return new SpineError(err.code, err.message, { ...err.details, agentMaxAttempts: String(max) }, false);
}

/** The node's config: the executor puts it in the agent context (`context.config`). */
function configOf(context: JsonObject): JsonObject {
  const config = context['config'];
  return typeof config === 'object' && config !== null && !Array.isArray(config) ? config : {};
}
