import { Injectable } from '@nestjs/common';
import { queryRows, type SqlRunner } from '@spine/persistence';
import type { Outcome } from './outcome.js';

/** The idempotency ledger: the first outcome of each `executionId:nodeId:callIndex`. */
@Injectable()
export class LedgerRepository {
  async find(db: SqlRunner, key: string, tenant: string): Promise<Outcome | undefined> {
    const rows = await queryRows<{ result: Outcome }>(db, `SELECT result FROM erp.tool_calls WHERE idempotency_key = $1 AND tenant_id = $2`, [key, tenant]);
    return rows[0]?.result;
  }

  /** Written in the transaction of the effect: both commit or neither does. */
  async record(db: SqlRunner, key: string, tenant: string, tool: string, outcome: Outcome): Promise<void> {
    await db.query(`INSERT INTO erp.tool_calls (idempotency_key, tenant_id, tool, ok, result) VALUES ($1, $2, $3, $4, $5)`, [key, tenant, tool, outcome.ok, JSON.stringify(outcome)]);
  }
}

export const LEDGER_KEY_CONSTRAINT = 'tool_calls_pkey';
