import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { McpToolsClient, type McpEndpoint } from '@spine/remote-agents';
import { SecretBox } from '../agents/secret-box.js';
import type { Principal } from '../auth/principal.js';
import { AgentEndpointPolicy } from '../core/agent-endpoint.policy.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { headersOf, parseMcpServerInput } from './mcp-server.input.js';
import { McpServersRepository, type McpServerRow, type McpToolEntry } from './mcp-servers.repository.js';

export interface McpServerView {
  name: string;
  url: string;
  /** Names only: values may be credentials and are never read back. */
  headerNames: string[];
  status: string;
  checkedAt: string;
  tools: { name: string; description: string; inputSchema: Record<string, unknown>; readOnly: boolean }[];
}

/** What the tool-executor needs to call a tenant's MCP servers, by server name (sent with its invocations). */
export type McpConnections = Record<string, { url: string; headers: Record<string, string>; tools: { name: string; readOnly: boolean }[] }>;

/** `server.tool`: the namespaced name a flow writes. */
export const namespaced = (server: string, tool: string) => `${server}.${tool}`;

/**
 * A tenant's MCP servers: registration checks the endpoint against the SSRF policy (the third-party agents' one) and
 * lists the tools (a server that cannot be listed is not registered); headers are sealed like agent secrets.
 */
@Injectable()
export class McpServersService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(McpServersService.name);
  private readonly client = new McpToolsClient();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly servers: McpServersRepository,
    private readonly box: SecretBox,
    private readonly endpoints: AgentEndpointPolicy,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.MCP_PROBE_INTERVAL_MS > 0) this.timer = setInterval(() => void this.probeAll(), this.config.MCP_PROBE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Every server of every tenant, one after another (a slow server delays the sweep, never a request). */
  async probeAll(): Promise<void> {
    try {
      for (const row of await this.servers.all()) await this.probeRow(row);
    } catch (err) {
      this.logger.error({ msg: 'mcp_server.probe_sweep_failed', error: (err as Error).message });
    }
  }

  async register(p: Principal, body: unknown): Promise<McpServerView> {
    const input = parseMcpServerInput(body);
    const headers = headersOf(input);
    await this.checkEndpoint(input.url);
    const tools = await this.listTools({ url: input.url, headers });
    const sealed = Object.keys(headers).length ? this.box.seal(JSON.stringify(headers)) : null;
    const inserted = await this.servers.insert({ tenantId: p.tenantId, name: input.name, url: input.url, sealed, tools, status: 'healthy' });
    if (!inserted) throw new SpineError(ErrorCode.ALREADY_EXISTS, `an MCP server named '${input.name}' is already registered`, { field: 'name' });
    this.logger.log({ msg: 'mcp_server.registered', server: input.name, tools: tools.length });
    return this.view((await this.servers.get(p.tenantId, input.name))!);
  }

  async list(p: Principal): Promise<{ servers: McpServerView[] }> {
    return { servers: (await this.servers.list(p.tenantId)).map((row) => this.view(row)) };
  }

  /** Probes the server now (health and a fresh tool list), then answers with what it found. */
  async probe(p: Principal, name: string): Promise<McpServerView> {
    const row = await this.servers.get(p.tenantId, name);
    if (!row) throw SpineError.notFound(`no MCP server '${name}'`);
    await this.probeRow(row);
    return this.view((await this.servers.get(p.tenantId, name)) ?? row);
  }

  private async probeRow(row: McpServerRow): Promise<void> {
    try {
      await this.checkEndpoint(row.url);
      const tools = await this.listTools(this.endpointOf(row));
      await this.servers.recordProbe(row.tenantId, row.name, 'healthy', tools);
    } catch (err) {
      if (row.status === 'healthy') this.logger.warn({ msg: 'mcp_server.unreachable', tenant: row.tenantId, server: row.name, error: (err as Error).message });
      await this.servers.recordProbe(row.tenantId, row.name, 'unreachable', undefined);
    }
  }

  async remove(p: Principal, name: string): Promise<void> {
    if (!(await this.servers.delete(p.tenantId, name))) throw SpineError.notFound(`no MCP server '${name}'`);
  }

  /** Every tool of the tenant's servers, namespaced, with its JSON Schema: what flows may name at deploy time. */
  async catalogTools(tenantId: string): Promise<Map<string, Record<string, unknown>>> {
    const tools = new Map<string, Record<string, unknown>>();
    for (const row of await this.servers.list(tenantId)) for (const t of row.tools) tools.set(namespaced(row.name, t.name), t.inputSchema);
    return tools;
  }

  /** The tenant's servers that pass the SSRF policy now (DNS may have changed since registration). */
  async connections(tenantId: string): Promise<McpConnections> {
    const out: McpConnections = {};
    for (const row of await this.servers.list(tenantId)) {
      try {
        await this.checkEndpoint(row.url);
        out[row.name] = { ...this.endpointOf(row), tools: row.tools.map((t) => ({ name: t.name, readOnly: t.readOnly })) };
      } catch (err) {
        this.logger.warn({ msg: 'mcp_server.refused', server: row.name, error: (err as Error).message });
      }
    }
    return out;
  }

  private async checkEndpoint(url: string): Promise<void> {
    try {
      await this.endpoints.policy.check(url, 'http');
    } catch (err) {
      if (err instanceof SpineError) throw new SpineError(err.code, err.message, { ...err.details, field: 'url' }, false);
      throw err;
    }
  }

  private async listTools(endpoint: McpEndpoint): Promise<McpToolEntry[]> {
    const listed = await this.client.listTools(endpoint, { timeoutMs: this.config.MCP_PROBE_TIMEOUT_MS, policy: this.endpoints.policy });
    return listed.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, readOnly: t.readOnly }));
  }

  private endpointOf(row: McpServerRow): McpEndpoint {
    return { url: row.url, headers: row.sealed ? (JSON.parse(this.box.open(row.sealed)) as Record<string, string>) : {} };
  }

  private view(row: McpServerRow): McpServerView {
    const headerNames = row.sealed ? Object.keys(this.endpointOf(row).headers) : [];
    return {
      name: row.name,
      url: row.url,
      headerNames,
      status: row.status,
      checkedAt: row.checkedAt.toISOString(),
      tools: row.tools.map((t) => ({ ...t, name: namespaced(row.name, t.name) })),
    };
  }
}
