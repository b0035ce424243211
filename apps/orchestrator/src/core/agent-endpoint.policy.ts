import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { EndpointPolicy, platformServices } from '@spine/remote-agents';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';

/**
 * The orchestrator's SSRF policy for third-party endpoints: AGENT_ENDPOINT_ALLOW; its own HTTP port, NATS, Postgres
 * and AGENT_ENDPOINT_DENY always refused. Built on first use, when the HTTP port is known (HTTP_PORT=0 in tests).
 */
@Injectable()
export class AgentEndpointPolicy {
  private built: EndpointPolicy | undefined;

  constructor(
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly http: HttpAdapterHost,
  ) {}

  get policy(): EndpointPolicy {
    return (this.built ??= this.build());
  }

  private build(): EndpointPolicy {
    const c = this.config;
    const address = this.http.httpAdapter?.getHttpServer()?.address() as { port?: number } | null | undefined;
    const own = [`localhost:${address?.port ?? c.HTTP_PORT}`, ...platformServices(c.NATS_URL, c.DATABASE_URL)];
    return new EndpointPolicy({ allow: c.AGENT_ENDPOINT_ALLOW, denyServices: [...own, ...c.AGENT_ENDPOINT_DENY] });
  }
}
