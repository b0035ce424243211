import { Inject, Injectable } from '@nestjs/common';
import { EndpointPolicy, platformServices, type RemoteTransport } from '@spine/remote-agents';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';

/** The registry's SSRF policy: the configured allow-list; its own HTTP port, NATS and Postgres always refused. */
@Injectable()
export class RegistryEndpointPolicy {
  private policy: EndpointPolicy;

  constructor(@Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig) {
    this.policy = this.build(config.HTTP_PORT);
  }

  /** With HTTP_PORT=0 the port is known only after listen. */
  useOwnPort(port: number): void {
    this.policy = this.build(port);
  }

  get current(): EndpointPolicy {
    return this.policy;
  }

  check(endpoint: string, transport: RemoteTransport) {
    return this.policy.check(endpoint, transport);
  }

  private build(httpPort: number): EndpointPolicy {
    const c = this.config;
    const own = [`localhost:${httpPort}`, ...platformServices(c.NATS_URL, c.DATABASE_URL)];
    return new EndpointPolicy({ allow: c.AGENT_ENDPOINT_ALLOW, denyServices: [...own, ...c.AGENT_ENDPOINT_DENY] });
  }
}
