import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DeregisterRequestSchema, DeregisterResponseSchema, HeartbeatRequestSchema, HeartbeatResponseSchema,
  RegisterRequestSchema, RegisterResponseSchema, SpineError, subjects,
} from '@spine/contracts';
import type { ProtoClient } from '@spine/messaging';
import { Readiness } from '@spine/observability';
import type { AgentConfig } from './agent.config.js';
import { InvokeService } from './invoke.service.js';
import { AGENT, AGENT_CONFIG, type AnyAgentDefinition } from './tokens.js';

export const PROTO_CLIENT = Symbol('spine.agent.client');
const RETRY_MAX_MS = 5_000;

/** Registers the agent, keeps it alive with heartbeats, registers again when the registry forgot it, deregisters on shutdown. */
@Injectable()
export class RegistrationService {
  private readonly logger = new Logger(RegistrationService.name);
  private registered = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private intervalMs: number;

  constructor(
    @Inject(AGENT) private readonly agent: AnyAgentDefinition,
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(PROTO_CLIENT) private readonly client: ProtoClient,
    private readonly invoke: InvokeService,
    readiness: Readiness,
  ) {
    this.intervalMs = config.HEARTBEAT_INTERVAL_MS;
    readiness.register('registered', () => this.registered && !this.stopped);
  }

  get instanceId(): string {
    return this.config.AGENT_INSTANCE_ID;
  }

  /** Starts registering in the background; retries until the registry answers. */
  start(): void {
    this.schedule(0, () => this.register(500));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.registered) return;
    try {
      await this.client.request(subjects.registry('deregister'), DeregisterRequestSchema, { instanceId: this.instanceId }, DeregisterResponseSchema, {
        timeoutMs: this.config.REGISTRY_TIMEOUT_MS,
      });
      this.logger.log({ msg: 'agent.deregistered', instanceId: this.instanceId });
    } catch (err) {
      this.logger.warn({ msg: 'agent.deregister_failed', err: SpineError.from(err).message });
    }
    this.registered = false;
  }

  private async register(retryMs: number): Promise<void> {
    try {
      const res = await this.client.request(
        subjects.registry('register'),
        RegisterRequestSchema,
        { card: this.agent.card(), instanceId: this.instanceId },
        RegisterResponseSchema,
        { timeoutMs: this.config.REGISTRY_TIMEOUT_MS },
      );
      if (res.heartbeatIntervalMs > 0) this.intervalMs = res.heartbeatIntervalMs;
      this.registered = true;
      this.logger.log({ msg: 'agent.registered', instanceId: this.instanceId, heartbeatIntervalMs: this.intervalMs });
      this.schedule(this.intervalMs, () => this.heartbeat());
    } catch (err) {
      this.logger.warn({ msg: 'agent.register_failed', retryInMs: retryMs, err: SpineError.from(err).message });
      this.schedule(retryMs, () => this.register(Math.min(retryMs * 2, RETRY_MAX_MS)));
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      const res = await this.client.request(
        subjects.registry('heartbeat'),
        HeartbeatRequestSchema,
        { instanceId: this.instanceId, inFlight: this.invoke.inFlight },
        HeartbeatResponseSchema,
        { timeoutMs: this.config.REGISTRY_TIMEOUT_MS },
      );
      if (!res.known) {
        this.logger.warn({ msg: 'agent.unknown_to_registry', instanceId: this.instanceId });
        this.registered = false;
        return this.schedule(0, () => this.register(500));
      }
    } catch (err) {
      this.logger.warn({ msg: 'agent.heartbeat_failed', err: SpineError.from(err).message });
    }
    this.schedule(this.intervalMs, () => this.heartbeat());
  }

  private schedule(delayMs: number, fn: () => Promise<void>): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void fn(), delayMs);
    this.timer.unref();
  }
}
