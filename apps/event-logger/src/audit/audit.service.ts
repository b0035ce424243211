import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import { SpineError, type AuditQuery, type AuditTrailSchema } from '@spine/contracts';
import { SummariesRepository } from '../summaries/summaries.repository.js';
import { isDone, memoryOf, type AuditRow } from './audit-row.js';
import { AuditRepository } from './audit.repository.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

/** Writes audit rows (and the summary outbox row of a DONE execution) and answers audit queries. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly summaries: SummariesRepository,
  ) {}

  /**
   * One transaction: the audit row and, for the DONE of a flow with memory, its pending summary (`summarise`).
   * `logged` is false on a redelivery. Flows without memory cost Cerebro nothing.
   */
  record(row: AuditRow): Promise<{ logged: boolean; done: boolean; summarise: boolean }> {
    return this.audit.transaction(async (db) => {
      const logged = await this.audit.insert(db, row);
      const summarise = memoryOf(row) !== undefined;
      if (summarise) await this.summaries.enqueue(db, row.tenantId, row.executionId, row.sequence);
      return { logged, done: isDone(row), summarise };
    });
  }

  /** The caller's tenant only: another tenant's execution reads as an empty trail. */
  async query(tenantId: string, q: AuditQuery): Promise<MessageInitShape<typeof AuditTrailSchema>> {
    if (!tenantId) throw SpineError.invalid('tenant is required', { field: 'tenant_id' });
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(q.executionId)) throw SpineError.invalid('execution_id must be 1-128 letters, digits, _ or -', { field: 'input.execution_id' });
    if (q.limit > MAX_LIMIT) throw SpineError.invalid(`limit is at most ${MAX_LIMIT}`, { field: 'input.limit' });
    const rows = await this.audit.list(tenantId, q.executionId, q.limit || DEFAULT_LIMIT);
    return {
      entries: rows.map((r) => ({ executionId: r.executionId, sequence: BigInt(r.sequence), at: timestampFromDate(r.at), kind: r.kind, state: r.state, nodeId: r.nodeId })),
      summaryIndexed: await this.summaries.isIndexed(tenantId, q.executionId),
    };
  }
}
