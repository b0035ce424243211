import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RateSpentSchema, subjects } from '@spine/contracts';
import { NATS_CONNECTION } from '@spine/messaging';
import { ORCHESTRATOR_CONFIG, replicaIdOf, type OrchestratorConfig } from '../orchestrator.config.js';
import { TokenBuckets } from './token-bucket.js';

/**
 * Each tenant's rate limit, held across replicas. A replica admits from its own token buckets, and every
 * `RATE_LIMIT_SYNC_MS` tells the others what it admitted per tenant (RateSpent on core NATS), which they take out
 * of theirs. So N replicas behind a load balancer admit about the configured rate between them, not N times it;
 * within one sync interval they may together admit a little more. NATS down: each replica limits on its own.
 */
@Injectable()
export class TenantRates implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantRates.name);
  private readonly buckets: TokenBuckets;
  private readonly replica: string;
  /** Admitted here since the last report, by tenant. */
  private spent = new Map<string, number>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {
    this.buckets = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
    this.replica = replicaIdOf(config);
  }

  onApplicationBootstrap(): void {
    if (this.config.RATE_LIMIT_SYNC_MS === 0) return;
    this.subscription = this.nc.subscribe(subjects.orchestratorRateSpent, {
      callback: (err, msg) => {
        if (!err) this.onReport(msg);
      },
    });
    this.timer = setInterval(() => this.report(), this.config.RATE_LIMIT_SYNC_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** Takes one request of the tenant's rate; when none is left, how long until one is (ms). */
  take(tenantId: string): ReturnType<TokenBuckets['take']> {
    const taken = this.buckets.take(tenantId);
    if (taken.ok && this.config.RATE_LIMIT_SYNC_MS > 0) this.spent.set(tenantId, (this.spent.get(tenantId) ?? 0) + 1);
    return taken;
  }

  private report(): void {
    if (this.spent.size === 0 || this.nc.isClosed()) return;
    const spent = Object.fromEntries(this.spent);
    this.spent = new Map();
    this.nc.publish(subjects.orchestratorRateSpent, toBinary(RateSpentSchema, create(RateSpentSchema, { replicaId: this.replica, spent })));
  }

  private onReport(msg: Msg): void {
    let report;
    try {
      report = fromBinary(RateSpentSchema, msg.data);
    } catch (err) {
      this.logger.warn({ msg: 'rate.report_invalid', code: 'INVALID_ARGUMENT', err: (err as Error).message });
      return;
    }
    if (report.replicaId === this.replica) return;
    for (const [tenant, count] of Object.entries(report.spent)) if (tenant && count > 0) this.buckets.spend(tenant, count);
  }
}
