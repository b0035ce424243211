import { Inject, Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';

/** This replica's name in probe claims, and a way to make the scheduler look for new agents now. */
@Injectable()
export class ProbeOwner {
  readonly id: string;
  private listener: (() => void) | undefined;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.id = config.REPLICA_ID ?? `${hostname()}-${process.pid}`;
  }

  onWake(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}
