import { describe, expect, it } from 'vitest';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { AuditRow } from '../audit/audit-row.js';
import type { CerebroClient } from './cerebro.client.js';
import type { PendingSummary, SummariesRepository } from './summaries.repository.js';
import type { SummaryDocument } from './summary.document.js';
import { SummaryPublisher } from './summary.publisher.js';

const at = new Date('2026-03-10T18:30:00Z');

/** The outbox, the audit trail and Cerebro, in memory: what the publisher would have written where. */
class World {
  readonly pending: PendingSummary[] = [];
  readonly indexed: string[] = [];
  readonly upserts: { tenantId: string; documents: SummaryDocument[] }[] = [];

  add(tenantId: string, executionId: string): void {
    this.pending.push({ tenantId, executionId, doneSequence: 1, attempts: 0 });
  }

  publisher(batch: { size: number; waitMs: number }): SummaryPublisher {
    const summaries = {
      claimDue: (limit: number) => Promise.resolve(this.pending.splice(0, limit)),
      markIndexed: (_tenant: string, ids: readonly string[]) => Promise.resolve(void this.indexed.push(...ids)),
      markFailed: () => Promise.resolve(),
    } as unknown as SummariesRepository;
    const audit = {
      list: (tenantId: string, executionId: string): Promise<AuditRow[]> =>
        Promise.resolve([{ tenantId, executionId, sequence: 1, at, kind: 'state_changed', state: 'DONE', nodeId: '', agent: '', payload: { stateChanged: { memory: { conversationId: 'c', userId: 'u' } } } }]),
    } as unknown as AuditRepository;
    const cerebro = { upsert: (tenantId: string, _e: string, documents: SummaryDocument[]) => Promise.resolve(void this.upserts.push({ tenantId, documents })) } as unknown as CerebroClient;
    return new SummaryPublisher(summaries, audit, cerebro, 60_000, batch);
  }
}

describe('SummaryPublisher', () => {
  it('sends a full batch as one upsert per tenant, with the user each summary belongs to', async () => {
    const world = new World();
    const publisher = world.publisher({ size: 3, waitMs: 60_000 });
    for (const id of ['e1', 'e2', 'e3']) {
      world.add('acme', id);
      publisher.enqueued();
    }
    await publisher.onApplicationShutdown();
    expect(world.upserts).toHaveLength(1);
    expect(world.upserts[0]!.documents.map((d) => d.id)).toEqual(['summary-e1', 'summary-e2', 'summary-e3']);
    expect(world.upserts[0]!.documents[0]!.metadata).toMatchObject({ userId: 'u', conversationId: 'c' });
    expect(world.indexed).toEqual(['e1', 'e2', 'e3']);
  });

  it('sends what waits for its batch on shutdown: nothing queued is left behind', async () => {
    const world = new World();
    const publisher = world.publisher({ size: 20, waitMs: 60_000 });
    world.add('acme', 'e1');
    publisher.enqueued();
    expect(world.upserts).toHaveLength(0);
    await publisher.onApplicationShutdown();
    expect(world.indexed).toEqual(['e1']);
  });

  it('keeps tenants apart: one upsert each', async () => {
    const world = new World();
    const publisher = world.publisher({ size: 2, waitMs: 60_000 });
    world.add('acme', 'e1');
    world.add('globex', 'e2');
    publisher.enqueued();
    publisher.enqueued();
    await publisher.onApplicationShutdown();
    expect(world.upserts.map((u) => [u.tenantId, u.documents.map((d) => d.id)])).toEqual([['acme', ['summary-e1']], ['globex', ['summary-e2']]]);
  });
});
