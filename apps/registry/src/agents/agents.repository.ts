import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { StateName } from './agent-instance.entity.js';

export interface InstanceRow {
  instanceId: string;
  name: string;
  version: string;
  card: Buffer;
  capabilities: string[];
  state: StateName;
  inFlight: number;
  registeredAt: Date;
  lastHeartbeatAt: Date;
  stateChangedAt: Date;
}

/** A row after a write, with the state it had before (null when it was just created). */
export interface Transition extends InstanceRow {
  previous: StateName | null;
}

const COLUMNS = `i.instance_id AS "instanceId", i.name, i.version, i.card, i.capabilities, i.state, i.in_flight AS "inFlight",
  i.registered_at AS "registeredAt", i.last_heartbeat_at AS "lastHeartbeatAt", i.state_changed_at AS "stateChangedAt"`;

export interface NewInstance {
  instanceId: string;
  name: string;
  version: string;
  card: Uint8Array;
  capabilities: string[];
}

// Times are compared in SQL: replica clocks drift, the database's now() does not.
@Injectable()
export class AgentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}


  /** Inserts or refreshes an instance; undefined when the id belongs to an agent of another name. */
  async upsert(i: NewInstance): Promise<Transition | undefined> {
    const rows = await queryRows<Transition>(
      this.db,
      `WITH prev AS (SELECT state FROM registry.agent_instances WHERE instance_id = $1 FOR UPDATE)
       INSERT INTO registry.agent_instances AS i (instance_id, name, version, card, capabilities, state)
       VALUES ($1, $2, $3, $4, $5, 'healthy')
       ON CONFLICT (instance_id) DO UPDATE SET
         version = EXCLUDED.version, card = EXCLUDED.card, capabilities = EXCLUDED.capabilities,
         state = 'healthy', last_heartbeat_at = now(), deregistered_at = NULL,
         state_changed_at = CASE WHEN i.state <> 'healthy' THEN now() ELSE i.state_changed_at END
       WHERE i.name = EXCLUDED.name
       RETURNING ${COLUMNS}, (SELECT state FROM prev) AS previous`,
      [i.instanceId, i.name, i.version, Buffer.from(i.card), i.capabilities],
    );
    return rows[0];
  }

  /** Records a heartbeat; a missed-heartbeat instance comes back healthy. Undefined when unknown or deregistered. */
  async heartbeat(instanceId: string, inFlight: number): Promise<Transition | undefined> {
    const rows = await queryRows<Transition>(
      this.db,
      `UPDATE registry.agent_instances AS i SET
         last_heartbeat_at = now(), in_flight = $2, state = 'healthy',
         state_changed_at = CASE WHEN i.state <> 'healthy' THEN now() ELSE i.state_changed_at END
       FROM (SELECT instance_id, state FROM registry.agent_instances WHERE instance_id = $1 FOR UPDATE) prev
       WHERE i.instance_id = prev.instance_id AND i.deregistered_at IS NULL
       RETURNING ${COLUMNS}, prev.state AS previous`,
      [instanceId, inFlight],
    );
    return rows[0];
  }

  async deregister(instanceId: string): Promise<Transition | undefined> {
    const rows = await queryRows<Transition>(
      this.db,
      `UPDATE registry.agent_instances AS i SET state = 'gone', deregistered_at = now(), in_flight = 0,
         state_changed_at = CASE WHEN i.state <> 'gone' THEN now() ELSE i.state_changed_at END
       FROM (SELECT instance_id, state FROM registry.agent_instances WHERE instance_id = $1 FOR UPDATE) prev
       WHERE i.instance_id = prev.instance_id
       RETURNING ${COLUMNS}, prev.state AS previous`,
      [instanceId],
    );
    return rows[0];
  }

  /** Moves silent instances to unhealthy or gone; each transition is returned to exactly one replica. */
  async sweep(unhealthyAfterMs: number, goneAfterMs: number): Promise<Transition[]> {
    return queryRows<Transition>(
      this.db,
      `UPDATE registry.agent_instances AS i SET state = t.next, state_changed_at = now()
       FROM (
         SELECT instance_id, state AS previous,
           CASE WHEN last_heartbeat_at < now() - make_interval(secs => $2 / 1000.0) THEN 'gone' ELSE 'unhealthy' END AS next
         FROM registry.agent_instances
         WHERE state <> 'gone' AND last_heartbeat_at < now() - make_interval(secs => $1 / 1000.0)
         FOR UPDATE SKIP LOCKED
       ) t
       WHERE i.instance_id = t.instance_id AND t.next <> t.previous
       RETURNING ${COLUMNS}, t.previous`,
      [unhealthyAfterMs, goneAfterMs],
    );
  }

  async list(filter: { name?: string; capability?: string; states: StateName[] }): Promise<InstanceRow[]> {
    return queryRows<InstanceRow>(
      this.db,
      `SELECT ${COLUMNS} FROM registry.agent_instances i
       WHERE ($1::text IS NULL OR i.name = $1) AND ($2::text IS NULL OR $2 = ANY (i.capabilities)) AND i.state = ANY ($3::text[])
       ORDER BY i.name, i.registered_at, i.instance_id`,
      [filter.name ?? null, filter.capability ?? null, filter.states],
    );
  }

  /** Gone instances are kept for operators for a while, then dropped. */
  async pruneGone(olderThanMs: number): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `DELETE FROM registry.agent_instances WHERE state = 'gone' AND state_changed_at < now() - make_interval(secs => $1 / 1000.0)`,
      [olderThanMs],
    );
    return count;
  }
}
