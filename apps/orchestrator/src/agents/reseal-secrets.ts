import type { AgentSecretsRepository } from './agent-secrets.repository.js';
import type { SecretBox } from './secret-box.js';

export interface ResealReport {
  resealed: number;
  current: number;
  /** Agents whose secret no configured key opens: they cannot be called until re-registered. */
  unreadable: string[];
}

/** After a key rotation: every secret sealed with a previous key is sealed again with AGENT_SECRET_KEY. Idempotent. */
export async function resealSecrets(secrets: AgentSecretsRepository, box: SecretBox): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, current: 0, unreadable: [] };
  for (const row of await secrets.all()) {
    let fresh: Buffer | undefined;
    try {
      fresh = box.reseal(row.sealed);
    } catch {
      report.unreadable.push(row.name);
      continue;
    }
    if (!fresh) report.current++;
    else if (await secrets.replaceSealed(row.name, row.sealed, fresh)) report.resealed++;
  }
  return report;
}
