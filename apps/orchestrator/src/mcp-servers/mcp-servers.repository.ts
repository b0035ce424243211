import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';

/** A tool as the server listed it: its own name (not namespaced) and JSON Schema. */
export interface McpToolEntry {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
}

export type McpServerStatus = 'healthy' | 'unreachable';

export interface McpServerRow {
  tenantId: string;
  name: string;
  url: string;
  sealed: Buffer | null;
  tools: McpToolEntry[];
  status: McpServerStatus;
  checkedAt: Date;
  createdAt: Date;
}

const COLUMNS = `tenant_id AS "tenantId", name, url, sealed, tools, status, checked_at AS "checkedAt", created_at AS "createdAt"`;

/** The tenant's MCP servers; every query is scoped by tenant, so another tenant's server is simply absent. */
@Injectable()
export class McpServersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** False when the tenant already has a server of that name. */
  async insert(row: Omit<McpServerRow, 'checkedAt' | 'createdAt'>): Promise<boolean> {
    const rows = await queryRows<{ name: string }>(
      this.db,
      `INSERT INTO orchestrator.mcp_servers (tenant_id, name, url, sealed, tools, status) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, name) DO NOTHING RETURNING name`,
      [row.tenantId, row.name, row.url, row.sealed, JSON.stringify(row.tools), row.status],
    );
    return rows.length > 0;
  }

  list(tenantId: string): Promise<McpServerRow[]> {
    return queryRows<McpServerRow>(this.db, `SELECT ${COLUMNS} FROM orchestrator.mcp_servers WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  }

  /** Every tenant's servers, for the background probe. */
  all(): Promise<McpServerRow[]> {
    return queryRows<McpServerRow>(this.db, `SELECT ${COLUMNS} FROM orchestrator.mcp_servers ORDER BY tenant_id, name`);
  }

  async get(tenantId: string, name: string): Promise<McpServerRow | undefined> {
    return (await queryRows<McpServerRow>(this.db, `SELECT ${COLUMNS} FROM orchestrator.mcp_servers WHERE tenant_id = $1 AND name = $2`, [tenantId, name]))[0];
  }

  /** A probe's finding; the tools are kept from the last probe that reached the server. */
  async recordProbe(tenantId: string, name: string, status: McpServerStatus, tools: McpToolEntry[] | undefined): Promise<void> {
    await this.db.query(
      `UPDATE orchestrator.mcp_servers SET status = $3, tools = COALESCE($4::jsonb, tools), checked_at = now() WHERE tenant_id = $1 AND name = $2`,
      [tenantId, name, status, tools ? JSON.stringify(tools) : null],
    );
  }

  async delete(tenantId: string, name: string): Promise<boolean> {
    return (await queryRows<{ name: string }>(this.db, `DELETE FROM orchestrator.mcp_servers WHERE tenant_id = $1 AND name = $2 RETURNING name`, [tenantId, name])).length > 0;
  }
}
