import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AgentState, AgentStateChangedSchema, streams, subjects, type AgentInstance } from '@spine/contracts';
import { ensureStream, NATS_CONNECTION, publishOnce } from '@spine/messaging';
import { agentStateOf, toInstance } from './agent.mapper.js';
import type { Transition } from './agents.repository.js';

const EVENTS_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** Publishes each state change to JetStream, de-duplicated by instance, state and time. */
@Injectable()
export class StateEventsPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger(StateEventsPublisher.name);

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureStream(await jetstreamManager(this.nc), { ...streams.registryEvents, maxAgeMs: EVENTS_MAX_AGE_MS });
  }

  /** Postgres holds the truth; a failed publish is logged, not retried forever. */
  async publish(t: Transition): Promise<void> {
    if (t.previous === t.state) return;
    await this.publishChange(toInstance(t), agentStateOf(t.previous), agentStateOf(t.state), t.stateChangedAt);
  }

  /** Any instance's change (built-in or third-party), de-duplicated by instance, state and time. */
  async publishChange(instance: AgentInstance, previous: AgentState, current: AgentState, at: Date): Promise<void> {
    if (previous === current) return;
    const name = instance.card?.name ?? '';
    const event = create(AgentStateChangedSchema, { instance, previous, current, at: timestampFromDate(at) });
    const msgId = `${instance.instanceId}:${current}:${at.getTime()}`;
    try {
      await publishOnce(this.nc, subjects.registryEvents(name), toBinary(AgentStateChangedSchema, event), msgId);
      this.logger.log({ msg: 'agent.state_changed', agent: name, instanceId: instance.instanceId, from: AgentState[previous], to: AgentState[current] });
    } catch (err) {
      this.logger.error({ msg: 'agent.state_event_failed', instanceId: instance.instanceId, err: (err as Error).message });
    }
  }
}
