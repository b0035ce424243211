import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/** Rows of one statement, on a connection of its own. */
export async function sqlRows<T = Record<string, unknown>>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** An API key for any tenant and role, written as the orchestrator writes them (only the secret's SHA-256 is stored). */
export async function insertApiKey(databaseUrl: string, tenantId: string, role: 'client' | 'agent-publisher' | 'admin' | 'reviewer' | 'knowledge-editor', name = 'e2e'): Promise<string> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await sqlRows(databaseUrl, `INSERT INTO orchestrator.api_keys (id, tenant_id, role, name, secret_hash) VALUES ($1, $2, $3, $4, $5)`, [id, tenantId, role, name, createHash('sha256').update(secret).digest()]);
  return `spk_${id}_${secret}`;
}
