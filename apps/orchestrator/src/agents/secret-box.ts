import { Inject, Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';

const DEV_KEY = 'spine-dev-agent-secret-key: set AGENT_SECRET_KEY';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals agents' signing secrets with AES-256-GCM. They are encrypted, not hashed: the orchestrator must sign every
 * request with the secret itself. Whoever holds AGENT_SECRET_KEY and the database can read them.
 */
@Injectable()
export class SecretBox {
  private readonly logger = new Logger(SecretBox.name);
  private readonly key: Buffer;

  constructor(@Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig) {
    if (!config.AGENT_SECRET_KEY) this.logger.warn({ msg: 'agent_secret_key.dev_default', hint: 'set AGENT_SECRET_KEY: agent secrets are sealed with a well-known key' });
    this.key = createHash('sha256').update(config.AGENT_SECRET_KEY ?? DEV_KEY).digest();
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

  open(sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
