import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { EndpointPolicy } from '@spine/remote-agents';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';

/** `host:port` of every URL in a (comma-separated) list. */
function servicesOf(urls: string, defaultPort: number): string[] {
  return urls.split(',').flatMap((u) => {
    try {
      const url = new URL(u.trim());
      return [`${url.hostname}:${url.port || defaultPort}`];
    } catch {
      return [];
    }
  });
}

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
    const own = [`localhost:${address?.port ?? c.HTTP_PORT}`, ...servicesOf(c.NATS_URL, 4222), ...servicesOf(c.DATABASE_URL, 5432)];
    return new EndpointPolicy({ allow: c.AGENT_ENDPOINT_ALLOW, denyServices: [...own, ...c.AGENT_ENDPOINT_DENY] });
  }
}
