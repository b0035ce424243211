import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AgentState, subjects, type AgentCard, type AgentInstance } from '@spine/contracts';
import { NATS_CONNECTION } from '@spine/messaging';
import { currentScope } from '@spine/observability';
import { Clock } from '../core/clock.js';
import { RegistryClient } from './registry.client.js';

export interface DirectoryEntry {
  card: AgentCard;
  healthy: number;
  instances: AgentInstance[];
  /** Third-party agents: the tenant that owns it (only its flows may use it). Unset for built-ins. */
  tenantId?: string;
}

const MAX_AGE_MS = 1_000;

/** Built-ins are everyone's; a third-party agent is its owner tenant's. */
const visibleTo = (e: DirectoryEntry, tenantId: string) => e.tenantId === undefined || e.tenantId === tenantId;

/**
 * The registry's view, cached for the executor: one entry per agent name. Refreshed at most once a second,
 * and at once when the registry announces a state change, so dispatch never waits on the registry.
 * Inside a request bound to a tenant (TenantScopeInterceptor), `all()` lists only built-ins and that tenant's own
 * agents, so deploy-time checks cannot see another tenant's agents; dispatch checks the owner again.
 */
@Injectable()
export class AgentDirectory implements OnModuleDestroy {
  private entries = new Map<string, DirectoryEntry>();
  private fetchedAt = 0;
  private refreshing: Promise<void> | undefined;
  private readonly changes: Subscription;

  constructor(
    private readonly registry: RegistryClient,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    private readonly clock: Clock,
  ) {
    this.changes = nc.subscribe(subjects.registryEventsAll, { callback: () => void (this.fetchedAt = 0) });
  }

  onModuleDestroy(): void {
    this.changes.unsubscribe();
  }

  async all(): Promise<ReadonlyMap<string, DirectoryEntry>> {
    await this.fresh();
    const tenantId = currentScope()?.tenantId;
    return tenantId === undefined ? this.entries : this.visibleEntries(tenantId);
  }

  /** Built-ins and the tenant's own third-party agents. */
  async allFor(tenantId: string): Promise<ReadonlyMap<string, DirectoryEntry>> {
    await this.fresh();
    return this.visibleEntries(tenantId);
  }

  /** Forget the cache: the next read asks the registry (after this replica registered or changed an agent). */
  invalidate(): void {
    this.fetchedAt = 0;
  }

  /** Refreshes the cache when it is older than MAX_AGE_MS. */
  private async fresh(): Promise<void> {
    if (this.clock.nowMs() - this.fetchedAt > MAX_AGE_MS) await this.refresh();
  }

  private visibleEntries(tenantId: string): Map<string, DirectoryEntry> {
    return new Map([...this.entries].filter(([, e]) => visibleTo(e, tenantId)));
  }

  async get(name: string): Promise<DirectoryEntry | undefined> {
    await this.fresh();
    // One lookup, as all() would filter it (all() copies the map: too much for every dispatch).
    const tenantId = currentScope()?.tenantId;
    const found = this.entries.get(name);
    const entry = found && (tenantId === undefined || visibleTo(found, tenantId)) ? found : undefined;
    if (entry && entry.healthy > 0) return entry;
    await this.refresh(); // a miss may be an agent that registered a moment ago
    return this.entries.get(name);
  }

  private refresh(): Promise<void> {
    return (this.refreshing ??= this.load().finally(() => (this.refreshing = undefined)));
  }

  private async load(): Promise<void> {
    const next = new Map<string, DirectoryEntry>();
    for (const instance of await this.registry.list()) {
      const name = instance.card?.name;
      if (!name || !instance.card) continue;
      const tenantId = instance.external?.tenantId;
      const entry = next.get(name) ?? { card: instance.card, healthy: 0, instances: [], ...(tenantId ? { tenantId } : {}) };
      entry.instances.push(instance);
      if (instance.state === AgentState.HEALTHY) entry.healthy++;
      next.set(name, entry);
    }
    this.entries = next;
    this.fetchedAt = this.clock.nowMs();
  }
}
