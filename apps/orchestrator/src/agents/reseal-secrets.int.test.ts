import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { orchestratorDataSource } from '../orchestrator.module.js';
import { AgentSecretsRepository } from './agent-secrets.repository.js';
import { resealSecrets } from './reseal-secrets.js';
import { SecretBox } from './secret-box.js';

const OLD = 'old-key-0123456789abcdef';
const NEW = 'new-key-fedcba9876543210';
const box = (key: string, previous: string[] = []) => new SecretBox({ AGENT_SECRET_KEY: key, AGENT_SECRET_KEY_PREVIOUS: previous });

describe('re-sealing agent secrets after a key rotation', () => {
  let db: DataSource;
  let secrets: AgentSecretsRepository;

  beforeAll(async () => {
    const url = await createDatabase(inject('postgresAdminUrl'), 'reseal');
    await runMigrations(orchestratorDataSource(url));
    db = await new DataSource({ type: 'postgres', url }).initialize();
    secrets = new AgentSecretsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('re-seals every old secret with the new key, leaves current ones, reports what no key opens', async () => {
    await secrets.put(db, 'tenant-a', 'old-one', box(OLD).seal('secret-1'));
    await secrets.put(db, 'tenant-b', 'old-two', box(OLD).seal('secret-2'));
    await secrets.put(db, 'tenant-a', 'already-new', box(NEW).seal('secret-3'));
    await secrets.put(db, 'tenant-a', 'lost-key', box('a-key-nobody-has-anymore').seal('secret-4'));

    const report = await resealSecrets(secrets, box(NEW, [OLD]));
    expect(report).toEqual({ resealed: 2, current: 1, unreadable: ['lost-key'] });

    // The old key can now be dropped: the new one alone opens every readable secret.
    const onlyNew = box(NEW);
    expect(onlyNew.open((await secrets.get('tenant-a', 'old-one'))!)).toBe('secret-1');
    expect(onlyNew.open((await secrets.get('tenant-b', 'old-two'))!)).toBe('secret-2');
    expect(onlyNew.open((await secrets.get('tenant-a', 'already-new'))!)).toBe('secret-3');

    // Idempotent: a second pass finds nothing to do.
    expect(await resealSecrets(secrets, box(NEW, [OLD]))).toEqual({ resealed: 0, current: 3, unreadable: ['lost-key'] });
  });
});
