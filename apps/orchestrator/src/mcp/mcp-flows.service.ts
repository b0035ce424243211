import { Inject, Injectable } from '@nestjs/common';
import { SpineError } from '@spine/contracts';
import { flowDescription, flowResultOf } from '../a2a/a2a.mapper.js';
import type { Principal } from '../auth/principal.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { FlowsService, type FlowVersionView } from '../flows/flows.service.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { SETTLED, type Json } from '../store/execution.model.js';
import { callerInput } from '../auth/caller-input.js';

const MESSAGE_RECEIVED = 'message_received';
/** The most flows listed as tools (each is parsed to read its trigger). */
const MAX_TOOLS = 500;
const MAX_TEXT = 8_000;

/** A conversation flow's tool takes what a person says; any other flow its trigger payload. */
const MESSAGE_SCHEMA = {
  type: 'object',
  properties: {
    message: { type: 'string', minLength: 1, maxLength: MAX_TEXT, description: 'What the user says to the flow' },
    conversationKey: { type: 'string', maxLength: 200, description: 'Continue the conversation of this key (the same key, the same conversation)' },
    timezone: { type: 'string', description: 'The user\'s IANA time zone, e.g. Europe/Madrid' },
    locale: { type: 'string', enum: ['es', 'en'] },
  },
  required: ['message'],
  additionalProperties: false,
} as const;
const OPEN_SCHEMA = { type: 'object', additionalProperties: true } as const;

export interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** An MCP tool name (`^[A-Za-z0-9_-]{1,64}$`, what clients accept) for a flow id. */
export const toolNameOf = (flowId: string): string => flowId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);

/**
 * The tenant's flows as MCP tools: calling one runs the flow (a conversation flow through the entry every door
 * shares) and answers with its reply, or its output as JSON; a failed run is a tool error with its code.
 */
@Injectable()
export class McpFlowsService {
  constructor(
    private readonly flows: FlowsService,
    private readonly conversations: ConversationsService,
    private readonly executions: ExecutionsService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async tools(p: Principal): Promise<McpTool[]> {
    return (await this.latest(p)).map((flow) => ({
      name: toolNameOf(flow.id),
      title: flow.name ?? flow.id,
      description: flowDescription(flow),
      inputSchema: flow.trigger === MESSAGE_RECEIVED ? MESSAGE_SCHEMA : ((flow.triggerSchema as Record<string, unknown> | null) ?? OPEN_SCHEMA),
    }));
  }

  async call(p: Principal, name: string, args: Record<string, unknown>): Promise<McpToolResult> {
    const flow = (await this.latest(p)).find((f) => toolNameOf(f.id) === name);
    if (!flow) throw SpineError.notFound(`no tool '${name}'`);
    const executionId = flow.trigger === MESSAGE_RECEIVED ? await this.sendMessage(p, flow, args) : (await this.executions.start(p.tenantId, flow.id, callerInput(p, args as Json), { version: flow.version })).id;
    const execution = await this.executions.settle(p.tenantId, executionId, this.config.A2A_WAIT_MS);
    const meta = { executionId, state: execution.state };
    if (!SETTLED.includes(execution.state)) return { content: [{ type: 'text', text: `The flow is still ${execution.state}; follow it at /v1/executions/${executionId}` }], structuredContent: meta, isError: true };
    if (execution.state === 'FAILED' || execution.state === 'CANCELLED') {
      const error = (execution.error ?? {}) as { code?: string; message?: string };
      return { content: [{ type: 'text', text: `${error.code ?? execution.state}: ${error.message ?? `the flow ended ${execution.state}`}` }], structuredContent: { ...meta, error: execution.error }, isError: true };
    }
    const result = flowResultOf(flow, execution);
    return { content: [{ type: 'text', text: result.reply ?? JSON.stringify(result.output) }], structuredContent: { ...meta, output: result.output } };
  }

  private async sendMessage(p: Principal, flow: FlowVersionView, args: Record<string, unknown>): Promise<string> {
    const text = typeof args['message'] === 'string' ? args['message'].trim() : '';
    if (!text || text.length > MAX_TEXT) throw SpineError.invalid(`'message' must be a text of 1 to ${MAX_TEXT} characters`, { field: 'message' });
    const locale = args['locale'] === 'es' || args['locale'] === 'en' ? args['locale'] : undefined;
    const timezone = typeof args['timezone'] === 'string' && Intl.supportedValuesOf('timeZone').includes(args['timezone']) ? args['timezone'] : undefined;
    const key = typeof args['conversationKey'] === 'string' && args['conversationKey'].trim() ? args['conversationKey'].trim().slice(0, 200) : undefined;
    const message = { text, version: flow.version, locale, timezone };
    const sent = key ? await this.conversations.sendByKey(p, flow.id, `mcp:${key}`, message) : await this.conversations.sendOnce(p, flow.id, message);
    return sent.executionId;
  }

  private async latest(p: Principal): Promise<FlowVersionView[]> {
    const { flows } = await this.flows.list(p.tenantId);
    return Promise.all(flows.slice(0, MAX_TOOLS).map((f) => this.flows.get(p.tenantId, f.id)));
  }
}
