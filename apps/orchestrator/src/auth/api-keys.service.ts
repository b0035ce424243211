import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { backgroundFailure } from '@spine/observability';
import { LRUCache } from 'lru-cache';
import { Clock } from '../core/clock.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { NO_KEY_HASH, newToken, parseToken, secretMatches } from './api-key.token.js';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository.js';
import type { Principal, Role } from './principal.js';

export interface ApiKeyView {
  id: string;
  tenantId: string;
  role: Role;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The person the key authenticates, when it is a person's key. */
  userId?: string;
}

const view = (k: ApiKeyRow): ApiKeyView => ({
  id: k.id,
  tenantId: k.tenantId,
  role: k.role,
  name: k.name,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  ...(k.userId ? { userId: k.userId } : {}),
});

const TOUCH_EVERY_MS = 60_000;
const NO_ROW = 'none' as const;

const unauthenticated = () => new SpineError(ErrorCode.UNAUTHENTICATED, 'a valid API key is required (Authorization: Bearer spk_…)');

/**
 * API keys: stored hashed, bound to a tenant and a role; the plaintext token is returned once, at creation. A key's
 * row is kept for AUTH_CACHE_MS after it was read, so a busy client costs no query per request: a revoked key stops
 * working at once on the replica that revoked it, and within AUTH_CACHE_MS on the others.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly touched = new Map<string, number>();
  /** Rows read, and ids known not to exist (NO_ROW): an unknown id then answers as fast as a known one. */
  private readonly rows: LRUCache<string, ApiKeyRow | typeof NO_ROW> | undefined;

  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
    private readonly clock: Clock,
  ) {
    this.rows = config.AUTH_CACHE_MS > 0 ? new LRUCache({ max: 10_000, ttl: config.AUTH_CACHE_MS }) : undefined;
  }

  async create(tenantId: string, role: Role, name: string, userId?: string): Promise<ApiKeyView & { token: string }> {
    const { id, token, hash } = newToken();
    this.rows?.delete(id);
    return { ...view(await this.keys.insert({ id, tenantId, role, name, hash, userId: userId ?? null })), token };
  }

  async authenticate(token: string | undefined): Promise<Principal> {
    const parsed = token ? parseToken(token) : undefined;
    if (!parsed) throw unauthenticated();
    const cached = this.rows?.get(parsed.id);
    const key = cached === NO_ROW ? undefined : (cached ?? (await this.read(parsed.id)));
    // The same hash and constant-time compare whether or not the id exists: timing tells nothing about which ids do.
    const matches = secretMatches(parsed.secret, key?.secretHash ?? NO_KEY_HASH);
    if (!key || key.revokedAt || !matches) throw unauthenticated();
    // last_used_at is for operators ("is this key still used?"): a minute's precision is plenty, a write per request is not.
    const now = this.clock.nowMs();
    if (now - (this.touched.get(key.id) ?? 0) > TOUCH_EVERY_MS) {
      this.touched.set(key.id, now);
      void this.keys.touch(key.id).catch(backgroundFailure(this.logger, 'api_key.touch', { keyId: key.id }));
    }
    return { tenantId: key.tenantId, role: key.role, keyId: key.id, ...(key.userId ? { userId: key.userId } : {}) };
  }

  private async read(id: string): Promise<ApiKeyRow | undefined> {
    const row = await this.keys.byId(id);
    this.rows?.set(id, row ?? NO_ROW);
    return row;
  }

  async list(p: Principal): Promise<ApiKeyView[]> {
    return (await this.keys.list(p.tenantId)).map(view);
  }

  /** Another tenant's key answers NOT_FOUND, like a key that does not exist. */
  async revoke(p: Principal, id: string): Promise<ApiKeyView> {
    const key = await this.keys.revoke(p.tenantId, id);
    this.rows?.delete(id);
    if (!key) throw SpineError.notFound(`no API key ${id}`, { id });
    return view(key);
  }

  /** The first admin key, when there is none yet; undefined otherwise. */
  async bootstrapAdmin(tenantId: string): Promise<(ApiKeyView & { token: string }) | undefined> {
    if ((await this.keys.countActiveAdmins()) > 0) return undefined;
    return this.create(tenantId, 'admin', 'first admin key');
  }
}
