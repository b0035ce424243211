import { Inject, Injectable } from '@nestjs/common';
import { spineRegistry } from '@spine/contracts';
import { catalogAgentOfCard, fieldTypeOfJsonSchema, type CatalogAgent, type CatalogTool, type FlowCatalog } from '@spine/flow';
import { toolCatalog } from '@spine/tool-catalog';
import { AgentDirectory } from '../agents/agent-directory.js';
import { McpServersService } from '../mcp-servers/mcp-servers.service.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';

/** Capability by which an agent offers a tool beyond the built-in catalog: `tool.<name>`. */
const TOOL_CAPABILITY = 'tool.';

/** What deploy-time checks look up: registered agents (any state), the tool catalog and agent-offered tools, configured models. */
@Injectable()
export class FlowCatalogService {
  private readonly builtInTools: ReadonlyMap<string, CatalogTool>;

  constructor(
    private readonly directory: AgentDirectory,
    private readonly mcpServers: McpServersService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {
    this.builtInTools = new Map(toolCatalog.map((t) => [t.name, { inputType: fieldTypeOfJsonSchema(t.parameters as never) }]));
  }

  /** What a tenant's flows may name: built-ins, the tenant's own third-party agents and MCP servers, never another tenant's. */
  async catalog(tenantId: string): Promise<FlowCatalog> {
    const agents = new Map<string, CatalogAgent>();
    const tools = new Map(this.builtInTools);
    for (const [name, entry] of await this.directory.allFor(tenantId)) {
      agents.set(name, catalogAgentOfCard(entry.card, spineRegistry));
      for (const capability of entry.card.capabilities) {
        const tool = capability.startsWith(TOOL_CAPABILITY) ? capability.slice(TOOL_CAPABILITY.length) : '';
        if (tool && !tools.has(tool)) tools.set(tool, {});
      }
    }
    // The tenant's MCP tools, `server.tool`, typed from the JSON Schema their server lists.
    for (const [name, schema] of await this.mcpServers.catalogTools(tenantId)) tools.set(name, { inputType: fieldTypeOfJsonSchema(schema as never) });
    return { agents, tools, models: new Set(this.config.FLOW_MODELS) };
  }
}
