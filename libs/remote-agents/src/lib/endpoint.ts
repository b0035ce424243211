import { isIP } from 'node:net';
import { SpineError } from '@spine/contracts';

export type RemoteTransport = 'http' | 'grpc';

/** An endpoint as written at registration, normalised. */
export interface ParsedEndpoint {
  transport: RemoteTransport;
  tls: boolean;
  /** Hostname or IP, IPv6 without brackets, lower case. */
  host: string;
  port: number;
  /** HTTP: the base URL without a trailing slash. gRPC: the `host:port` target. */
  target: string;
}

export function endpointError(reason: string, message: string, extra: Record<string, string> = {}): SpineError {
  return SpineError.invalid(message, { field: 'endpoint', reason, ...extra });
}

/**
 * HTTP agents: `http(s)://host[:port][/base/path]`. gRPC agents: `grpc://host:port`,
 * `grpcs://host[:port]` (TLS, default 443) or a bare `host:port` (plaintext).
 * Hosts go through the WHATWG URL parser, so `2130706433` and `0x7f.1` become `127.0.0.1`.
 */
export function parseEndpoint(endpoint: string, transport: RemoteTransport): ParsedEndpoint {
  return transport === 'http' ? parseHttp(endpoint) : parseGrpc(endpoint);
}

function parseHttp(endpoint: string): ParsedEndpoint {
  const url = parseUrl(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw endpointError('scheme', `endpoint scheme ${url.protocol} is not allowed; use http or https`);
  }
  checkAuthority(url);
  if (url.search || url.hash) throw endpointError('malformed', 'endpoint must not have a query or fragment');
  const tls = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  return { transport: 'http', tls, host: bareHost(url.hostname), port, target: url.href.replace(/\/+$/, '') };
}

function parseGrpc(endpoint: string): ParsedEndpoint {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'grpc' && scheme !== 'grpcs') {
    throw endpointError('scheme', `endpoint scheme ${scheme}: is not allowed; use grpc://host:port, grpcs://host[:port] or host:port`);
  }
  const authority = scheme === undefined ? endpoint : endpoint.slice(scheme.length + 3);
  // Parse as http so IPv4 shorthand is normalised the same way as for HTTP endpoints.
  const url = parseUrl(`http://${authority}`);
  checkAuthority(url);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || authority.endsWith('/')) {
    throw endpointError('malformed', 'a gRPC endpoint is host:port with no path');
  }
  const tls = scheme === 'grpcs';
  const explicitPort = /:(\d+)$/.exec(authority)?.[1];
  const port = explicitPort !== undefined ? Number(explicitPort) : tls ? 443 : undefined;
  if (port === undefined) throw endpointError('port', 'a plaintext gRPC endpoint needs an explicit port');
  const host = bareHost(url.hostname);
  return { transport: 'grpc', tls, host, port, target: `${isIP(host) === 6 ? `[${host}]` : host}:${port}` };
}

function parseUrl(endpoint: string): URL {
  try {
    return new URL(endpoint);
  } catch {
    throw endpointError('malformed', 'endpoint is not a valid URL');
  }
}

function checkAuthority(url: URL): void {
  if (url.username || url.password) throw endpointError('credentials', 'endpoint must not carry credentials');
  if (!url.hostname) throw endpointError('malformed', 'endpoint has no host');
  if (url.port === '0') throw endpointError('port', 'endpoint port 0 is not allowed');
}

export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}
