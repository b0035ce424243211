import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows, type SqlRunner } from '@spine/persistence';
import { DataSource } from 'typeorm';

/** Sealed signing secrets of third-party agents, by agent name and owner tenant. */
@Injectable()
export class AgentSecretsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  /** The registry decides who owns a name; this row follows it (a stale row from a failed delete is replaced). */
  async put(tx: SqlRunner, tenantId: string, name: string, sealed: Buffer): Promise<void> {
    await tx.query(
      `INSERT INTO orchestrator.agent_secrets (name, tenant_id, sealed) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, sealed = EXCLUDED.sealed, created_at = now()`,
      [name, tenantId, sealed],
    );
  }

  /** Stores the secret in a transaction that commits only when `then` (the registry's answer) succeeds. */
  putThen<T>(tenantId: string, name: string, sealed: Buffer, then: () => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await this.put(tx, tenantId, name, sealed);
      return then();
    });
  }

  async get(tenantId: string, name: string): Promise<Buffer | undefined> {
    const rows = await queryRows<{ sealed: Buffer }>(this.db, `SELECT sealed FROM orchestrator.agent_secrets WHERE name = $1 AND tenant_id = $2`, [name, tenantId]);
    return rows[0]?.sealed;
  }

  /** Every sealed secret, for re-sealing after a key rotation. */
  async all(): Promise<{ name: string; sealed: Buffer }[]> {
    return queryRows<{ name: string; sealed: Buffer }>(this.db, `SELECT name, sealed FROM orchestrator.agent_secrets ORDER BY name`);
  }

  /** Replaces a sealed secret only if it is still the one read (a concurrent re-registration wins). */
  async replaceSealed(name: string, was: Buffer, sealed: Buffer): Promise<boolean> {
    const rows = await queryRows<{ name: string }>(this.db, `UPDATE orchestrator.agent_secrets SET sealed = $3 WHERE name = $1 AND sealed = $2 RETURNING name`, [name, was, sealed]);
    return rows.length > 0;
  }

  async delete(tenantId: string, name: string): Promise<void> {
    await this.db.query(`DELETE FROM orchestrator.agent_secrets WHERE name = $1 AND tenant_id = $2`, [name, tenantId]);
  }
}
