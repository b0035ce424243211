import type { JsonObject } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import { SpineError } from '@spine/contracts';
import { callableTools, type ToolSpec } from '@spine/tool-catalog';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../core/clock.js';
import { Ids } from '../core/ids.js';
import { AgentDispatcher } from '../engine/dispatch/agent-dispatcher.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import type { McpTool, McpToolResult } from './mcp-flows.service.js';

const TOOL_EXECUTOR = 'tool-executor';
/** `erp_createTask`: apart from flow tools, whose names come from flow ids. */
const PREFIX = 'erp_';

interface ToolReply {
  results?: { ok?: boolean; result?: JsonObject; error?: { code?: string; message?: string; suggestion?: string } }[];
}

/**
 * The ERP tools over `/mcp`, to keys whose role the tool allows (the same roles a flow's user needs). A call is one
 * tool-executor invocation outside any flow: its own id keys the idempotency ledger, the node timeout bounds it, and
 * the tool-executor checks scope, role and arguments as it does for flows.
 */
@Injectable()
export class McpErpToolsService {
  constructor(
    private readonly dispatcher: AgentDispatcher,
    private readonly clock: Clock,
    private readonly ids: Ids,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  tools(p: Principal): McpTool[] {
    return this.allowed(p).map((t) => ({ name: `${PREFIX}${t.name}`, title: t.name, description: t.description, inputSchema: t.parameters as Record<string, unknown> }));
  }

  owns(name: string): boolean {
    return name.startsWith(PREFIX);
  }

  async call(p: Principal, name: string, args: Record<string, unknown>): Promise<McpToolResult> {
    const spec = this.allowed(p).find((t) => `${PREFIX}${t.name}` === name);
    if (!spec) throw SpineError.notFound(`no tool '${name}'`);
    const { output } = await this.dispatcher.dispatch({
      agent: TOOL_EXECUTOR,
      executionId: `mcp-${this.ids.uuid()}`,
      nodeId: spec.name,
      tenantId: p.tenantId,
      attempt: 1,
      input: { calls: [{ tool: spec.name, arguments: args as JsonObject }], userId: p.keyId, roles: [p.role] },
      context: {},
      model: '',
      scope: { allowedTools: [spec.name] },
      deadline: this.clock.nowMs() + this.config.NODE_TIMEOUT_MS,
    });
    const result = (output as ToolReply).results?.[0];
    if (!result?.ok) {
      const error = result?.error ?? {};
      const text = [`${error.code ?? 'FAILED'}: ${error.message ?? `${spec.name} failed`}`, error.suggestion].filter(Boolean).join(' ');
      return { content: [{ type: 'text', text }], structuredContent: { error: error as JsonObject }, isError: true };
    }
    return { content: [{ type: 'text', text: JSON.stringify(result.result ?? {}) }], structuredContent: result.result ?? {} };
  }

  private allowed(p: Principal): readonly ToolSpec[] {
    return callableTools.filter((t) => t.roles.includes(p.role));
  }
}
