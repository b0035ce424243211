import { fromBinary } from '@bufbuild/protobuf';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { RateSpentSchema, subjects } from '@spine/contracts';
import { within } from '@spine/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrchestratorConfig } from '../orchestrator.config.js';
import { TenantRates } from './tenant-rates.js';

/** Two replicas' limits over a real nats-server: 5 requests of burst, a slow refill, reports every 50 ms. */
describe('TenantRates: a tenant’s rate holds across replicas', () => {
  let nc: NatsConnection;
  const started: TenantRates[] = [];

  const replica = (id: string, syncMs = 50) => {
    const rates = new TenantRates(nc, { RATE_LIMIT_PER_SECOND: 0.1, RATE_LIMIT_BURST: 5, RATE_LIMIT_SYNC_MS: syncMs, REPLICA_ID: id } as OrchestratorConfig);
    rates.onApplicationBootstrap();
    started.push(rates);
    return rates;
  };
  const admitted = (rates: TenantRates, tenant: string, n: number) => Array.from({ length: n }, () => rates.take(tenant).ok).filter(Boolean).length;
  /**
   * Starts listening for a message on the reports subject that `matches`; await the result once the
   * replicas have acted. The replicas share this connection and their callbacks run as a message
   * arrives, so by the time this resolves every replica has handled it too.
   */
  const seeing = async (matches: (msg: Msg) => boolean, what: string): Promise<{ seen: Promise<void> }> => {
    const sub = nc.subscribe(subjects.orchestratorRateSpent);
    const seen = (async () => {
      for await (const msg of sub) if (matches(msg)) return;
    })();
    await nc.flush(); // subscribed at the server before anything is sent
    return { seen: within(seen, what).finally(() => sub.unsubscribe()) };
  };
  const spentBy = (replicaId: string, tenant: string) => (msg: Msg) => {
    try {
      const report = fromBinary(RateSpentSchema, msg.data);
      return report.replicaId === replicaId && (report.spent[tenant] ?? 0) > 0;
    } catch {
      return false;
    }
  };
  const reportOf = (replicaId: string, tenant: string) => seeing(spentBy(replicaId, tenant), `replica ${replicaId} to report ${tenant}'s spending`);

  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
  });
  afterAll(async () => {
    for (const rates of started) rates.onModuleDestroy();
    await nc?.close();
  });

  it('what one replica admitted is taken out of the others’ buckets; other tenants are untouched', async () => {
    const [a, b] = [replica('a'), replica('b')];
    const report = await reportOf('a', 'acme');
    expect(admitted(a, 'acme', 5)).toBe(5);
    await report.seen;
    const refused = b.take('acme');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(1_000);
    expect(admitted(b, 'globex', 5)).toBe(5);
  });

  it('split between two replicas, the tenant gets one burst in all, not one each', async () => {
    const [a, b] = [replica('c'), replica('d')];
    const fromA = await reportOf('c', 'initech');
    const firstA = admitted(a, 'initech', 3);
    await fromA.seen;
    const fromB = await reportOf('d', 'initech');
    const thenB = admitted(b, 'initech', 5);
    await fromB.seen;
    const thenA = admitted(a, 'initech', 5);
    expect([firstA, thenB, thenA]).toEqual([3, 2, 0]);
  });

  it('a replica ignores its own reports and reports that are not RateSpent', async () => {
    const a = replica('e');
    const own = await reportOf('e', 'umbrella');
    const garbage = await seeing((msg) => msg.data[0] === 0xff && msg.data.length === 3, 'the bad report to come back');
    expect(admitted(a, 'umbrella', 2)).toBe(2);
    nc.publish(subjects.orchestratorRateSpent, new Uint8Array([0xff, 0x01, 0x02]));
    await Promise.all([own.seen, garbage.seen]);
    expect(admitted(a, 'umbrella', 5)).toBe(3);
  });

  it('RATE_LIMIT_SYNC_MS=0: each replica limits on its own', async () => {
    const [a, b] = [replica('f', 0), replica('g', 0)];
    expect(admitted(a, 'hooli', 5)).toBe(5);
    // Nothing is reported here, so there is no event to wait for: give a wrong report (sync every 50 ms elsewhere) time to land.
    await nc.flush().then(() => sleep(500));
    expect(admitted(b, 'hooli', 5)).toBe(5);
  });
});
