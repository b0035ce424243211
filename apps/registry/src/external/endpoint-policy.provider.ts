import { Inject, Injectable } from '@nestjs/common';
import { EndpointPolicy, type RemoteTransport } from '@spine/remote-agents';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';

/** `host:port` of every URL in a (comma-separated) list; bad entries are skipped, config validation owns them. */
export function servicesOf(urls: string, defaultPort: number): string[] {
  return urls.split(',').flatMap((u) => {
    try {
      const url = new URL(u.trim());
      return [`${url.hostname}:${url.port || defaultPort}`];
    } catch {
      return [];
    }
  });
}

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
    const own = [`localhost:${httpPort}`, ...servicesOf(c.NATS_URL, 4222), ...servicesOf(c.DATABASE_URL, 5432)];
    return new EndpointPolicy({ allow: c.AGENT_ENDPOINT_ALLOW, denyServices: [...own, ...c.AGENT_ENDPOINT_DENY] });
  }
}
