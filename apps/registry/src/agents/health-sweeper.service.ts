import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';
import { AgentsService } from './agents.service.js';
import { AgentsRepository } from './agents.repository.js';

const GONE_RETENTION_MS = 24 * 3_600_000;

/** Applies the heartbeat windows on a timer; safe with several registry replicas (rows are claimed with SKIP LOCKED). */
@Injectable()
export class HealthSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HealthSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeps = 0;

  constructor(
    private readonly agents: AgentsService,
    private readonly repository: AgentsRepository,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), this.config.SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await this.agents.sweep();
      if (++this.sweeps % 3_600 === 0) await this.repository.pruneGone(GONE_RETENTION_MS);
    } catch (err) {
      this.logger.error({ msg: 'sweep.failed', err: (err as Error).message });
    }
    if (this.timer) this.schedule();
  }
}
