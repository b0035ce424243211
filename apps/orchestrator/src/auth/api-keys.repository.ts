import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { Role } from './principal.js';

export interface ApiKeyRow {
  id: string;
  tenantId: string;
  role: Role;
  name: string;
  secretHash: Buffer;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** The person the key authenticates (their ERP email or id); null for a service key. */
  userId: string | null;
}

const COLUMNS = `id, tenant_id AS "tenantId", role, name, secret_hash AS "secretHash", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", user_id AS "userId"`;

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(k: { id: string; tenantId: string; role: Role; name: string; hash: Buffer; userId: string | null }): Promise<ApiKeyRow> {
    const rows = await queryRows<ApiKeyRow>(
      this.db,
      `INSERT INTO orchestrator.api_keys (id, tenant_id, role, name, secret_hash, user_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [k.id, k.tenantId, k.role, k.name, k.hash, k.userId],
    );
    return rows[0]!;
  }

  async byId(id: string): Promise<ApiKeyRow | undefined> {
    return (await queryRows<ApiKeyRow>(this.db, `SELECT ${COLUMNS} FROM orchestrator.api_keys WHERE id = $1`, [id]))[0];
  }

  async list(tenantId: string): Promise<ApiKeyRow[]> {
    return queryRows<ApiKeyRow>(this.db, `SELECT ${COLUMNS} FROM orchestrator.api_keys WHERE tenant_id = $1 ORDER BY created_at`, [tenantId]);
  }

  /** Revokes a key of this tenant; undefined when the tenant has no such key. */
  async revoke(tenantId: string, id: string): Promise<ApiKeyRow | undefined> {
    const rows = await queryRows<ApiKeyRow>(
      this.db,
      `UPDATE orchestrator.api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [tenantId, id],
    );
    return rows[0];
  }

  async countActiveAdmins(): Promise<number> {
    const rows = await queryRows<{ n: string }>(this.db, `SELECT count(*) AS n FROM orchestrator.api_keys WHERE role = 'admin' AND revoked_at IS NULL`);
    return Number(rows[0]?.n ?? 0);
  }

  async touch(id: string): Promise<void> {
    await this.db.query(`UPDATE orchestrator.api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [id]);
  }
}
