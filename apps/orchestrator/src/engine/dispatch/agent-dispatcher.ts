import { create, fromJson, toJson, type DescMessage, type JsonObject, type JsonValue } from '@bufbuild/protobuf';
import { anyPack, anyUnpack, StructSchema } from '@bufbuild/protobuf/wkt';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { addAbortListener } from 'node:events';
import { CancelRequestSchema, ErrorCode, ToolCallsInputSchema, InvokeRequestSchema, InvokeResponseSchema, SpineError, spineRegistry, subjects, UsageSchema, type AgentCard, type Usage } from '@spine/contracts';
import { ProtoClient, NATS_CONNECTION } from '@spine/messaging';
import { AgentDirectory } from '../../agents/agent-directory.js';
import { McpServersService } from '../../mcp-servers/mcp-servers.service.js';
import { AgentBreakers } from './agent-breakers.js';
import { SpentAgentError, type Dispatch, type DispatchResult } from './dispatch.js';
import { isRemote, RemoteDispatch } from './remote-dispatch.js';
import { toolCallsOf } from './tool-node-input.js';

const JSON_WRITE = { registry: spineRegistry, alwaysEmitImplicit: true } as const;
const TOOL_EXECUTOR = 'tool-executor';
/** The tenant's MCP servers (endpoint, headers, tools) travel to the tool-executor with each call: it keeps none. */
const MCP_SERVERS_CONTEXT = 'mcpServers';

/**
 * Runs one node on its agent: the JSON input becomes the agent's declared protobuf input (or a Struct), one NATS
 * request with the deadline, and the reply's output back to JSON. Only healthy agents are called; each agent
 * sits behind its circuit breaker.
 */
@Injectable()
export class AgentDispatcher {
  private readonly client: ProtoClient;

  constructor(
    private readonly directory: AgentDirectory,
    private readonly breakers: AgentBreakers,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    private readonly remote: RemoteDispatch,
    private readonly mcpServers: McpServersService,
  ) {
    this.client = new ProtoClient(nc);
  }

  async dispatch(d: Dispatch): Promise<DispatchResult> {
    const entry = await this.directory.get(d.agent);
    if (!entry) throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `agent '${d.agent}' is not registered`, { agent: d.agent });
    if (isRemote(entry)) return this.remote.dispatch(d, entry);
    if (entry.healthy === 0) throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `agent '${d.agent}' has no healthy instance`, { agent: d.agent });
    const request = create(InvokeRequestSchema, {
      executionId: d.executionId,
      nodeId: d.nodeId,
      tenantId: d.tenantId,
      attempt: d.attempt,
      model: d.model,
      scope: d.scope,
      input: anyPack(inputTypeOf(entry.card), inputMessage(entry.card, agentInput(entry.card, d))),
      context: d.agent === TOOL_EXECUTOR ? { ...d.context, [MCP_SERVERS_CONTEXT]: await this.mcpServers.connections(d.tenantId) } : d.context,
    });
    const response = await this.breakers.call(d.agent, async () => {
      d.signal?.throwIfAborted();
      const cancelling = d.signal && addAbortListener(d.signal, () => this.cancel(d, d.signal!.reason));
      try {
        const res = await this.client.request(subjects.agentInvoke(d.agent), InvokeRequestSchema, request, InvokeResponseSchema, { deadline: d.deadline, tenantId: d.tenantId });
        if (res.error) throw spentError(SpineError.fromMessage(res.error), res.usage);
        return res;
      } finally {
        cancelling?.[Symbol.dispose]();
      }
    });
    const usage = response.usage ? (toJson(UsageSchema, response.usage, JSON_WRITE) as JsonObject) : null;
    return { output: outputJson(d.agent, response.output), totalTokens: Number(response.usage?.totalTokens ?? 0n), usage };
  }

  /** Every instance of the agent hears it; the one running this node aborts its handler's signal. */
  private cancel(d: Dispatch, reason: unknown): void {
    const why = reason instanceof Error ? reason.message : 'cancelled';
    this.client.publish(subjects.agentCancel(d.agent), CancelRequestSchema, { executionId: d.executionId, nodeId: d.nodeId, attempt: d.attempt, tenantId: d.tenantId, reason: why }, { tenantId: d.tenantId });
  }
}

function spentError(error: SpineError, usage: Usage | undefined): SpineError {
  if (!usage || usage.totalTokens === 0n) return error;
  return new SpentAgentError(error, Number(usage.totalTokens), toJson(UsageSchema, usage, JSON_WRITE) as JsonObject);
}

/** What the agent is sent: the node's input, or, for a seed tool node on an agent taking ToolCallsInput, its one call. */
function agentInput(card: AgentCard, d: Dispatch): JsonObject {
  return d.tool && inputTypeOf(card).typeName === ToolCallsInputSchema.typeName ? toolCallsOf(d.tool, d.input, d.context) : d.input;
}

function inputTypeOf(card: AgentCard): DescMessage {
  return (card.inputType && spineRegistry.getMessage(card.inputType)) || StructSchema;
}

function inputMessage(card: AgentCard, input: JsonObject) {
  const desc = inputTypeOf(card);
  try {
    return fromJson(desc, input, { registry: spineRegistry });
  } catch (err) {
    throw new SpineError(ErrorCode.INVALID_ARGUMENT, `input for '${card.name}' is not a valid ${desc.typeName}: ${(err as Error).message}`, { agent: card.name }, false);
  }
}

function outputJson(agent: string, output: Parameters<typeof anyUnpack>[0] | undefined): JsonValue {
  if (!output) return {};
  const message = anyUnpack(output, spineRegistry);
  if (!message) throw new SpineError(ErrorCode.INTERNAL, `agent '${agent}' answered an unknown type ${output.typeUrl}`, { agent }, false);
  const desc = spineRegistry.getMessage(message.$typeName)!;
  return toJson(desc, message, JSON_WRITE);
}
