import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects } from '@spine/contracts';
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
  // Reports go every 50 ms; a second leaves room for a slow machine, and refills only 0.1 of a token.
  const aFewReports = () => nc.flush().then(() => sleep(1_000));

  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
  });
  afterAll(async () => {
    for (const rates of started) rates.onModuleDestroy();
    await nc?.close();
  });

  it('what one replica admitted is taken out of the others’ buckets; other tenants are untouched', async () => {
    const [a, b] = [replica('a'), replica('b')];
    expect(admitted(a, 'acme', 5)).toBe(5);
    await aFewReports();
    const refused = b.take('acme');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(1_000);
    expect(admitted(b, 'globex', 5)).toBe(5);
  });

  it('split between two replicas, the tenant gets one burst in all, not one each', async () => {
    const [a, b] = [replica('c'), replica('d')];
    const firstA = admitted(a, 'initech', 3);
    await aFewReports();
    const thenB = admitted(b, 'initech', 5);
    await aFewReports();
    const thenA = admitted(a, 'initech', 5);
    expect([firstA, thenB, thenA]).toEqual([3, 2, 0]);
  });

  it('a replica ignores its own reports and reports that are not RateSpent', async () => {
    const a = replica('e');
    expect(admitted(a, 'umbrella', 2)).toBe(2);
    nc.publish(subjects.orchestratorRateSpent, new Uint8Array([0xff, 0x01, 0x02]));
    await aFewReports();
    expect(admitted(a, 'umbrella', 5)).toBe(3);
  });

  it('RATE_LIMIT_SYNC_MS=0: each replica limits on its own', async () => {
    const [a, b] = [replica('f', 0), replica('g', 0)];
    expect(admitted(a, 'hooli', 5)).toBe(5);
    await aFewReports();
    expect(admitted(b, 'hooli', 5)).toBe(5);
  });
});
