import { Inject, Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';

/** Outside production only (the config refuses to start without AGENT_SECRET_KEY there). */
const DEV_KEY = 'spine-dev-agent-secret-key: set AGENT_SECRET_KEY';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keyOf = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * Seals agents' signing secrets with AES-256-GCM. They are encrypted, not hashed: the orchestrator must sign every
 * request with the secret itself. Whoever holds AGENT_SECRET_KEY and the database can read them.
 *
 * Rotation: set the new key as AGENT_SECRET_KEY and the old one in AGENT_SECRET_KEY_PREVIOUS. `open` tries the current
 * key, then each previous one (GCM's tag tells a wrong key at once); `migrate` re-seals every row with the current key
 * (`stale`), after which the previous key can be dropped.
 */
@Injectable()
export class SecretBox {
  private readonly logger = new Logger(SecretBox.name);
  private readonly key: Buffer;
  private readonly previous: Buffer[];

  constructor(@Inject(ORCHESTRATOR_CONFIG) config: Pick<OrchestratorConfig, 'AGENT_SECRET_KEY' | 'AGENT_SECRET_KEY_PREVIOUS'>) {
    if (!config.AGENT_SECRET_KEY) this.logger.warn({ msg: 'agent_secret_key.dev_default', hint: 'set AGENT_SECRET_KEY: agent secrets are sealed with a well-known key' });
    this.key = keyOf(config.AGENT_SECRET_KEY ?? DEV_KEY);
    this.previous = config.AGENT_SECRET_KEY_PREVIOUS.map(keyOf);
  }

  /** A new secret to hand to the agent's publisher, once. */
  issue(): string {
    return randomBytes(32).toString('base64url');
  }

  seal(secret: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The secret; throws when no configured key sealed it. */
  open(sealed: Buffer): string {
    return this.unseal(sealed).secret;
  }

  /** Sealed with a previous key: the same secret sealed with the current one, to store instead. Undefined when current. */
  reseal(sealed: Buffer): Buffer | undefined {
    const { secret, current } = this.unseal(sealed);
    return current ? undefined : this.seal(secret);
  }

  private unseal(sealed: Buffer): { secret: string; current: boolean } {
    let failure: unknown;
    for (const key of [this.key, ...this.previous]) {
      try {
        return { secret: openWith(key, sealed), current: key === this.key };
      } catch (err) {
        failure = err;
      }
    }
    throw new Error('no configured AGENT_SECRET_KEY (current or previous) opens this sealed secret', { cause: failure });
  }
}

function openWith(key: Buffer, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
