import { fromBinary } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AgentCardSchema, Transport } from '@spine/contracts';
import { probeGrpc, probeHttp, ProbeTracker, type ProbeResult } from '@spine/remote-agents';
import { Agent, type Dispatcher } from 'undici';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';
import { a2aProbeUrlOf, probeA2a } from './a2a-probe.js';
import { RegistryEndpointPolicy } from './endpoint-policy.provider.js';
import { ExternalAgentsRepository, type ClaimedAgent } from './external-agents.repository.js';
import { ExternalAgentsService } from './external-agents.service.js';
import { ProbeOwner } from './probe-owner.js';
import { backgroundFailure } from '@spine/observability';

interface Probed {
  transport: Transport;
  endpoint: string;
  updatedAt: number;
  tracker: ProbeTracker;
  dispatcher?: Dispatcher;
  running: boolean;
}

const MAX_CLAIMED = 1_000;
const clock = { now: () => Date.now() };

/**
 * Probes third-party agents on a timer. Each replica probes only the agents it holds a lease on (claimed with SKIP
 * LOCKED, renewed every third of the lease), so several replicas share the work and a dead one's agents move on.
 * Probes never block the loop: each is async with its own timeout, at most PROBE_CONCURRENCY at once.
 */
@Injectable()
export class ProbeScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProbeScheduler.name);
  private readonly probed = new Map<string, Probed>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private claimedAt = 0;
  private inFlight = 0;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly externals: ExternalAgentsService,
    private readonly repository: ExternalAgentsRepository,
    private readonly policy: RegistryEndpointPolicy,
    private readonly owner: ProbeOwner,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {
    owner.onWake(() => {
      this.claimedAt = 0;
      void this.tick();
    });
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    for (const p of this.probed.values()) void p.dispatcher?.close();
    this.probed.clear();
    // Shutting down anyway: another replica takes the agents over when the claims expire.
    await this.repository.release(this.owner.id).catch(backgroundFailure(this.logger, 'probe.release'));
  }

  private get tickMs(): number {
    return Math.min(Math.max(Math.floor(this.config.PROBE_INTERVAL_MS / 5), 20), 500);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick().finally(() => this.schedule()), this.tickMs);
    this.timer.unref();
  }

  private tick(): Promise<void> {
    return (this.ticking ??= this.runTick().finally(() => (this.ticking = undefined)));
  }

  private async runTick(): Promise<void> {
    if (this.stopped) return;
    try {
      const renewEvery = Math.min(this.config.PROBE_LEASE_MS / 3, this.config.PROBE_INTERVAL_MS);
      if (Date.now() - this.claimedAt >= renewEvery) {
        this.adopt(await this.repository.claim(this.owner.id, this.config.PROBE_LEASE_MS, MAX_CLAIMED));
        this.claimedAt = Date.now();
      }
      for (const [name, p] of this.probed) {
        if (this.inFlight >= this.config.PROBE_CONCURRENCY) break;
        if (!p.running && p.tracker.isDue()) void this.probe(name, p);
      }
    } catch (err) {
      this.logger.error({ msg: 'probe.tick_failed', err: (err as Error).message });
    }
  }

  /** The claimed set is the truth: new agents start, changed cards restart, lost ones stop. */
  private adopt(claimed: ClaimedAgent[]): void {
    const seen = new Set<string>();
    for (const c of claimed) {
      seen.add(c.name);
      const current = this.probed.get(c.name);
      if (current && current.updatedAt === c.updatedAt.getTime()) continue;
      void current?.dispatcher?.close();
      const card = fromBinary(AgentCardSchema, c.card);
      const tracker = new ProbeTracker(
        { intervalMs: this.config.PROBE_INTERVAL_MS, timeoutMs: this.config.PROBE_TIMEOUT_MS, healthyThreshold: this.config.PROBE_HEALTHY_THRESHOLD, unhealthyThreshold: this.config.PROBE_UNHEALTHY_THRESHOLD },
        clock,
      );
      const endpoint = card.transport === Transport.A2A ? a2aProbeUrlOf(card) : card.endpoint;
      this.probed.set(c.name, { transport: card.transport, endpoint, updatedAt: c.updatedAt.getTime(), tracker, running: current?.running ?? false, ...this.dispatcherOf(card.transport, endpoint) });
    }
    for (const [name, p] of this.probed) {
      if (seen.has(name)) continue;
      void p.dispatcher?.close();
      this.probed.delete(name);
    }
  }

  private async probe(name: string, p: Probed): Promise<void> {
    p.running = true;
    this.inFlight++;
    try {
      const result = await this.run(p);
      if (this.probed.get(name) !== p || this.stopped) return; // replaced or dropped while probing
      const transition = p.tracker.record(result);
      const state = transition ? (transition.to === 'healthy' ? 'healthy' : transition.to === 'unhealthy' ? 'unhealthy' : null) : null;
      const row = await this.externals.recordProbe(name, state, result.healthy ? null : (p.tracker.error ?? result.error ?? 'unhealthy'));
      if (!row) this.probed.delete(name); // deleted, or another replica holds it now
    } catch (err) {
      this.logger.error({ msg: 'probe.failed', agent: name, err: (err as Error).message });
    } finally {
      p.running = false;
      this.inFlight--;
    }
  }

  private async run(p: Probed): Promise<ProbeResult> {
    const timeoutMs = this.config.PROBE_TIMEOUT_MS;
    if (p.transport === Transport.HTTP) return probeHttp(p.endpoint, timeoutMs, p.dispatcher ? { dispatcher: p.dispatcher } : {});
    if (p.transport === Transport.A2A) return probeA2a(p.endpoint, timeoutMs, p.dispatcher ? { dispatcher: p.dispatcher } : {});
    try {
      // gRPC channels resolve on their own: re-check the endpoint's addresses before each probe.
      await this.policy.check(p.endpoint, 'grpc');
    } catch (err) {
      return { healthy: false, latencyMs: 0, error: (err as Error).message };
    }
    return probeGrpc(p.endpoint, timeoutMs);
  }

  /** HTTP probes connect through the endpoint policy's lookup, so a DNS answer that changed since registration is checked again. */
  private dispatcherOf(transport: Transport, endpoint: string): { dispatcher?: Dispatcher } {
    if (transport !== Transport.HTTP && transport !== Transport.A2A) return {};
    try {
      const url = new URL(endpoint);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      return { dispatcher: new Agent({ connect: { lookup: this.policy.current.lookupFor(port) } }) };
    } catch {
      return {};
    }
  }
}
