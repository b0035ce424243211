import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { Json } from '../store/execution.model.js';

export interface FlowVersionRow {
  id: string;
  version: number;
  /** The flow document as deployed (JSON, or YAML parsed to JSON). */
  definition: Json;
  createdAt: Date;
}

export interface FlowSummary {
  id: string;
  latestVersion: number;
  versions: number;
  updatedAt: Date;
}

const VERSION = `id, version, definition, created_at AS "createdAt"`;

/** Immutable flow versions per tenant: a deploy appends version max + 1; nothing is ever updated. */
@Injectable()
export class FlowsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(tenantId: string, id: string, definition: Json): Promise<FlowVersionRow> {
    return this.db.transaction(async (tx) => {
      // Deploys of one flow take turns, so max + 1 is never taken twice.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`flow:${tenantId}:${id}`]);
      const rows = await queryRows<FlowVersionRow>(
        tx,
        `INSERT INTO orchestrator.flows (tenant_id, id, version, definition)
         SELECT $1, $2, coalesce(max(version), 0) + 1, $3 FROM orchestrator.flows WHERE tenant_id = $1 AND id = $2
         RETURNING ${VERSION}`,
        [tenantId, id, JSON.stringify(definition)],
      );
      return rows[0]!;
    });
  }

  /** A version, or the latest when `version` is undefined; another tenant's flow is not found. */
  async get(tenantId: string, id: string, version?: number): Promise<FlowVersionRow | undefined> {
    const rows = await queryRows<FlowVersionRow>(
      this.db,
      version === undefined
        ? `SELECT ${VERSION} FROM orchestrator.flows WHERE tenant_id = $1 AND id = $2 ORDER BY version DESC LIMIT 1`
        : `SELECT ${VERSION} FROM orchestrator.flows WHERE tenant_id = $1 AND id = $2 AND version = $3`,
      version === undefined ? [tenantId, id] : [tenantId, id, version],
    );
    return rows[0];
  }

  async versions(tenantId: string, id: string): Promise<{ version: number; createdAt: Date }[]> {
    return queryRows(this.db, `SELECT version, created_at AS "createdAt" FROM orchestrator.flows WHERE tenant_id = $1 AND id = $2 ORDER BY version`, [tenantId, id]);
  }

  async list(tenantId: string): Promise<FlowSummary[]> {
    return queryRows(
      this.db,
      `SELECT id, max(version) AS "latestVersion", count(*)::int AS versions, max(created_at) AS "updatedAt"
       FROM orchestrator.flows WHERE tenant_id = $1 GROUP BY id ORDER BY id`,
      [tenantId],
    );
  }
}
