import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { SpineError } from '@spine/contracts';
import { canonicalAddress, classifyAddress, familyOf } from './address-ranges.js';
import { bareHost, endpointError, parseEndpoint, type ParsedEndpoint, type RemoteTransport } from './endpoint.js';

export type Resolver = (host: string) => Promise<string[]>;

export interface EndpointPolicyOptions {
  /** IPs, CIDRs (`127.0.0.0/8`, `::1/128`) or exact hostnames that may be non-public. */
  allow?: readonly string[];
  /** The cluster's own services, `host:port` (`localhost:4000`, `[::1]:4000`) or `host` for every port. Wins over `allow`. */
  denyServices?: readonly string[];
  /** Defaults to the system resolver (all A and AAAA records). */
  resolve?: Resolver;
}

export interface CheckedEndpoint extends ParsedEndpoint {
  /** Every address the host resolved to; all of them passed. */
  addresses: string[];
}

interface ServiceEntry {
  host: string;
  port: number | undefined;
}

export const systemResolver: Resolver = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Decides whether Spine may call a third-party endpoint (no SSRF into the cluster). Refuses non-public
 * addresses and the cluster's own services unless allow-listed, after resolving every address.
 */
export class EndpointPolicy {
  private readonly allowNets = new BlockList();
  private readonly allowHosts = new Set<string>();
  private readonly services: ServiceEntry[];
  private readonly resolveHost: Resolver;

  constructor(options: EndpointPolicyOptions = {}) {
    for (const entry of options.allow ?? []) this.addAllowed(entry.trim());
    this.services = (options.denyServices ?? []).map(parseService);
    this.resolveHost = options.resolve ?? systemResolver;
  }

  /** Parses, resolves and checks an endpoint; throws INVALID_ARGUMENT `{field: 'endpoint', reason}`. */
  async check(endpoint: string, transport: RemoteTransport): Promise<CheckedEndpoint> {
    const parsed = parseEndpoint(endpoint, transport);
    const addresses = await this.resolve(parsed.host);
    await this.checkAddresses(parsed.host, parsed.port, addresses);
    return { ...parsed, addresses };
  }

  /** Checks addresses about to be connected to (after a fresh DNS answer); throws like `check`. */
  async checkAddresses(host: string, port: number, addresses: readonly string[]): Promise<void> {
    const name = canonicalAddress(bareHost(host));
    const services = this.services.filter((s) => s.port === undefined || s.port === port);
    if (services.some((s) => s.host === name)) throw clusterService(name, port);
    const serviceAddresses = new Set((await Promise.all(services.map((s) => this.resolveQuietly(s.host)))).flat());
    for (const address of addresses.map(canonicalAddress)) {
      if (serviceAddresses.has(address)) throw clusterService(address, port);
      const kind = classifyAddress(address);
      if (kind === undefined || this.allowHosts.has(name) || this.allowNets.check(address, familyOf(address))) continue;
      throw endpointError(kind, `endpoint ${name} resolves to a ${kind} address (${address}) that is not on the allow-list`, { address });
    }
  }

  /** A `net.connect` lookup that re-checks what DNS answers at connect time (no DNS-rebinding window). */
  lookupFor(port: number): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname)
        .then(async (addresses) => {
          await this.checkAddresses(hostname, port, addresses);
          const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => isIP(a) === options.family) : addresses;
          if (wanted.length === 0) throw endpointError('unresolvable', `${hostname} has no usable address`);
          if (options.all) callback(null, wanted.map((address) => ({ address, family: isIP(address) })));
          else callback(null, wanted[0] as string, isIP(wanted[0] as string));
        })
        .catch((err: unknown) => callback(err as NodeJS.ErrnoException, '', 0));
    };
  }

  private async resolve(host: string): Promise<string[]> {
    const name = bareHost(host);
    if (isIP(name)) return [name];
    let addresses: string[];
    try {
      addresses = await this.resolveHost(name);
    } catch {
      throw endpointError('unresolvable', `endpoint host ${name} does not resolve`);
    }
    if (addresses.length === 0) throw endpointError('unresolvable', `endpoint host ${name} does not resolve`);
    return addresses;
  }

  private async resolveQuietly(host: string): Promise<string[]> {
    return (await this.resolve(host).catch(() => [] as string[])).map(canonicalAddress);
  }

  private addAllowed(entry: string): void {
    const [network, prefix] = entry.split('/');
    const ip = canonicalAddress(network ?? '');
    const family = isIP(ip);
    if (family === 0) {
      if (prefix !== undefined) throw new Error(`allow-list entry ${entry}: a CIDR needs an IP network`);
      this.allowHosts.add(entry.toLowerCase());
    } else if (prefix === undefined) this.allowNets.addAddress(ip, familyOf(ip));
    else this.allowNets.addSubnet(ip, Number(prefix), familyOf(ip));
  }
}

function parseService(entry: string): ServiceEntry {
  const port = /:(\d+)$/.exec(entry)?.[1];
  const url = new URL(`http://${entry}`);
  return { host: canonicalAddress(bareHost(url.hostname)), port: port === undefined ? undefined : Number(port) };
}

function clusterService(host: string, port: number): SpineError {
  return endpointError('cluster-service', `endpoint ${host}:${port} is one of the cluster's own services`, { address: host });
}
