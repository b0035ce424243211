import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';

/** An execution whose log has events not yet on JetStream: they follow `from`. */
export interface Unpublished {
  id: string;
  tenantId: string;
  from: string;
}

/** How far each execution's event log reached JetStream (`events_published`, the outbox's cursor). */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records, in one statement, how far each execution got (never backwards). */
  async markPublished(furthest: ReadonlyMap<string, number>): Promise<void> {
    await this.db.query(
      `UPDATE orchestrator.executions e SET events_published = greatest(e.events_published, m.seq)
       FROM unnest($1::uuid[], $2::bigint[]) AS m(id, seq) WHERE e.id = m.id`,
      [[...furthest.keys()], [...furthest.values()]],
    );
  }

  /** Executions that stopped (or paused) more than a few seconds ago with events unpublished, oldest first. */
  unpublished(limit: number): Promise<Unpublished[]> {
    return queryRows<Unpublished>(
      this.db,
      `SELECT id, tenant_id AS "tenantId", events_published::text AS from FROM orchestrator.executions
       WHERE events_published < last_seq AND (finished_at IS NOT NULL OR state = 'WAITING_INPUT') AND updated_at < now() - interval '3 seconds'
       ORDER BY updated_at LIMIT $1`,
      [limit],
    );
  }
}
