import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';

export type ExternalState = 'healthy' | 'unhealthy';

export interface ExternalRow {
  name: string;
  tenantId: string;
  version: string;
  card: Buffer;
  capabilities: string[];
  retryMaxAttempts: number;
  state: ExternalState;
  lastProbeError: string | null;
  lastProbeAt: Date | null;
  registeredAt: Date;
  updatedAt: Date;
  stateChangedAt: Date;
}

/** A row after a write, with the state it had before (null: just created; 'gone': just deleted). */
export interface ExternalTransition extends ExternalRow {
  previous: ExternalState | null;
  current: ExternalState | 'gone';
}

export interface ExternalCard {
  tenantId: string;
  name: string;
  version: string;
  card: Uint8Array;
  capabilities: string[];
  retryMaxAttempts: number;
}

/** What a replica probes: the agents it holds a claim on. */
export interface ClaimedAgent {
  name: string;
  card: Buffer;
  updatedAt: Date;
}

const COLUMNS = `e.name, e.tenant_id AS "tenantId", e.version, e.card, e.capabilities, e.retry_max_attempts AS "retryMaxAttempts", e.state,
  e.last_probe_error AS "lastProbeError", e.last_probe_at AS "lastProbeAt", e.registered_at AS "registeredAt", e.updated_at AS "updatedAt",
  e.state_changed_at AS "stateChangedAt"`;

const secs = (param: string) => `make_interval(secs => ${param}::int / 1000.0)`;

// Times are compared in SQL: replica clocks drift, the database's now() does not.
@Injectable()
export class ExternalAgentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts a new agent, claimed for probing by `owner` so its first probe runs at once. Undefined when the name is
   * taken, by another third-party agent or by a built-in one (any state).
   */
  async create(c: ExternalCard, owner: string, leaseMs: number): Promise<ExternalTransition | undefined> {
    const rows = await queryRows<ExternalTransition>(
      this.db,
      `INSERT INTO registry.external_agents AS e (name, tenant_id, version, card, capabilities, retry_max_attempts, last_probe_error, probe_owner, probe_lease_until)
       SELECT $1, $2, $3, $4, $5, $6, 'not probed yet', $7, now() + ${secs('$8')}
       WHERE NOT EXISTS (SELECT 1 FROM registry.agent_instances WHERE name = $1)
       ON CONFLICT (name) DO NOTHING
       RETURNING ${COLUMNS}, NULL AS previous, e.state AS current`,
      [c.name, c.tenantId, c.version, Buffer.from(c.card), c.capabilities, c.retryMaxAttempts, owner, leaseMs],
    );
    return rows[0];
  }

  /** Replaces the card of the tenant's agent; undefined when the tenant has no agent of that name. The state stays until probes decide. */
  async replace(c: ExternalCard): Promise<ExternalRow | undefined> {
    const rows = await queryRows<ExternalRow>(
      this.db,
      `UPDATE registry.external_agents AS e SET version = $3, card = $4, capabilities = $5, retry_max_attempts = $6, updated_at = now()
       WHERE e.name = $1 AND e.tenant_id = $2
       RETURNING ${COLUMNS}`,
      [c.name, c.tenantId, c.version, Buffer.from(c.card), c.capabilities, c.retryMaxAttempts],
    );
    return rows[0];
  }

  async delete(tenantId: string, name: string): Promise<ExternalTransition | undefined> {
    const rows = await queryRows<ExternalTransition>(
      this.db,
      `DELETE FROM registry.external_agents AS e WHERE e.name = $1 AND e.tenant_id = $2
       RETURNING ${COLUMNS}, e.state AS previous, 'gone' AS current`,
      [name, tenantId],
    );
    return rows[0];
  }

  async list(filter: { name?: string; capability?: string; tenantId?: string; states: ExternalState[] }): Promise<ExternalRow[]> {
    return queryRows<ExternalRow>(
      this.db,
      `SELECT ${COLUMNS} FROM registry.external_agents e
       WHERE ($1::text IS NULL OR e.name = $1) AND ($2::text IS NULL OR $2 = ANY (e.capabilities))
         AND ($3::text IS NULL OR e.tenant_id = $3) AND e.state = ANY ($4::text[])
       ORDER BY e.name`,
      [filter.name ?? null, filter.capability ?? null, filter.tenantId ?? null, filter.states],
    );
  }

  /**
   * Renews this replica's claims and takes unclaimed or expired ones, up to `limit`. Rows another replica holds are
   * skipped (SKIP LOCKED, live lease), so each agent is probed by one replica at a time.
   */
  async claim(owner: string, leaseMs: number, limit: number): Promise<ClaimedAgent[]> {
    return queryRows<ClaimedAgent>(
      this.db,
      `UPDATE registry.external_agents AS e SET probe_owner = $1, probe_lease_until = now() + ${secs('$2')}
       FROM (
         SELECT name FROM registry.external_agents
         WHERE probe_owner = $1 OR probe_lease_until IS NULL OR probe_lease_until < now()
         ORDER BY (probe_owner = $1) DESC NULLS LAST, name
         LIMIT $3
         FOR UPDATE SKIP LOCKED
       ) c
       WHERE e.name = c.name
       RETURNING e.name, e.card, e.updated_at AS "updatedAt"`,
      [owner, leaseMs, limit],
    );
  }

  /** Gives this replica's claims back (shutdown), so another replica takes them without waiting for the lease. */
  async release(owner: string): Promise<void> {
    await this.db.query(`UPDATE registry.external_agents SET probe_owner = NULL, probe_lease_until = NULL WHERE probe_owner = $1`, [owner]);
  }

  /**
   * Records a probe by the claim's owner; `state` null keeps the current state. The state change is returned to exactly
   * one caller; undefined when the row is gone or claimed by another replica.
   */
  async recordProbe(name: string, owner: string, state: ExternalState | null, error: string | null): Promise<ExternalTransition | undefined> {
    const rows = await queryRows<ExternalTransition>(
      this.db,
      `UPDATE registry.external_agents AS e SET last_probe_at = now(), last_probe_error = $4,
         state = COALESCE($3, e.state),
         state_changed_at = CASE WHEN $3 IS NOT NULL AND $3 <> e.state THEN now() ELSE e.state_changed_at END
       FROM (SELECT name, state FROM registry.external_agents WHERE name = $1 AND probe_owner = $2 FOR UPDATE) prev
       WHERE e.name = prev.name
       RETURNING ${COLUMNS}, prev.state AS previous, e.state AS current`,
      [name, owner, state, error],
    );
    return rows[0];
  }
}
