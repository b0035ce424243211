import type { NatsConnection } from '@nats-io/transport-node';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { NATS_CONNECTION } from '@spine/messaging';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { AgentEndpointPolicy } from './agent-endpoint.policy.js';
import { Clock, SystemClock } from './clock.js';
import { Ids, RandomIds } from './ids.js';

/**
 * What every feature module may inject: the validated config, the one NATS connection, the clock, id generation and
 * the SSRF policy for third-party endpoints. Global, so feature modules do not list it.
 */
@Global()
@Module({})
export class CoreModule {
  static with(config: OrchestratorConfig, connection: NatsConnection): DynamicModule {
    const providers = [
      { provide: ORCHESTRATOR_CONFIG, useValue: config },
      { provide: NATS_CONNECTION, useValue: connection },
      { provide: Clock, useClass: SystemClock },
      { provide: Ids, useClass: RandomIds },
      AgentEndpointPolicy,
    ];
    return { module: CoreModule, providers, exports: [ORCHESTRATOR_CONFIG, NATS_CONNECTION, Clock, Ids, AgentEndpointPolicy] };
  }
}
