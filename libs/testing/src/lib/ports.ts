import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { randomInt } from 'node:crypto';

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Ports this process has handed out: a port is free again once released, and two services must not both get it. */
const handedOut = new Set<number>();

/** A TCP port that was free on 127.0.0.1 a moment ago (the kernel picked it), never one this process handed out before. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/** `count` distinct free ports, held open together while picked, none handed out before by this process. */
export async function freePorts(count: number): Promise<number[]> {
  for (let tries = 0; tries < 100; tries++) {
    const servers = (await Promise.all(Array.from({ length: count }, () => listen(0)))).filter((s): s is Server => s !== undefined);
    const ports = servers.map((s) => (s.address() as AddressInfo).port);
    await Promise.all(servers.map(close));
    if (servers.length < count || ports.some((p) => handedOut.has(p))) continue;
    for (const port of ports) handedOut.add(port);
    return ports;
  }
  throw new Error(`could not find ${count} free ports`);
}

/** Where the kernel picks ports for outgoing connections (Linux: ip_local_port_range); 32768–60999 elsewhere. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux: the common default
  }
  return [32_768, 60_999];
}

/**
 * `count` consecutive free ports (a launcher's `--http-port` base), none of them in `avoid`. Taken below the ephemeral
 * range: a range inside it can lose a port to any process's outgoing connection between this check and the bind
 * (seen in CI as EADDRINUSE for one of the launcher's services).
 */
export async function freeRange(count: number, avoid: readonly number[] = []): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const low = 10_000;
  const high = Math.max(low + count + 1, ephemeralLow - count);
  for (let tries = 0; tries < 200; tries++) {
    const base = randomInt(low, high);
    const range = Array.from({ length: count }, (_, i) => base + i);
    if (range.some((p) => avoid.includes(p) || handedOut.has(p))) continue;
    const held = await Promise.all(range.map(listen));
    await Promise.all(held.filter((s): s is Server => s !== undefined).map(close));
    if (held.every(Boolean)) {
      for (const port of range) handedOut.add(port);
      return base;
    }
  }
  throw new Error(`could not find ${count} consecutive free ports`);
}
