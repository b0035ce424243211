import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows, type SqlRunner } from '@spine/persistence';
import type { JsonObject } from '@bufbuild/protobuf';
import { DataSource } from 'typeorm';
import type { AuditRow } from './audit-row.js';

interface Row {
  tenant_id: string;
  execution_id: string;
  sequence: string;
  at: Date;
  kind: AuditRow['kind'];
  state: string;
  node_id: string;
  agent: string;
  payload: JsonObject;
}

const toRow = (r: Row): AuditRow => ({
  tenantId: r.tenant_id, executionId: r.execution_id, sequence: Number(r.sequence), at: r.at, kind: r.kind, state: r.state, nodeId: r.node_id, agent: r.agent, payload: r.payload,
});

/** event_logger.audit_events: append-only, one row per (tenant, execution, sequence). */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** False when the row was already there: a redelivered event. */
  async insert(db: SqlRunner, row: AuditRow): Promise<boolean> {
    const inserted = await queryRows<{ sequence: string }>(
      db,
      `INSERT INTO event_logger.audit_events (tenant_id, execution_id, sequence, at, kind, state, node_id, agent, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT ON CONSTRAINT audit_events_key DO NOTHING RETURNING sequence`,
      [row.tenantId, row.executionId, row.sequence, row.at, row.kind, row.state, row.nodeId, row.agent, JSON.stringify(row.payload)],
    );
    return inserted.length > 0;
  }

  async list(tenantId: string, executionId: string, limit: number): Promise<AuditRow[]> {
    const rows = await queryRows<Row>(
      this.db,
      `SELECT * FROM event_logger.audit_events WHERE tenant_id = $1 AND execution_id = $2 ORDER BY sequence LIMIT $3`,
      [tenantId, executionId, limit],
    );
    return rows.map(toRow);
  }

  transaction<T>(work: (db: SqlRunner) => Promise<T>): Promise<T> {
    return this.db.transaction((m) => work(m));
  }
}
