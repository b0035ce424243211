import { createServer, type AddressInfo, type Server } from 'node:net';

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

/** `count` consecutive free ports (a launcher's `--http-port` base), none of them in `avoid`. */
export async function freeRange(count: number, avoid: readonly number[] = []): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const base = await freePort();
    if (base + count > 65_535 || avoid.some((p) => p >= base && p < base + count) || Array.from({ length: count - 1 }, (_, i) => base + i + 1).some((p) => handedOut.has(p))) continue;
    const held = await Promise.all(Array.from({ length: count - 1 }, (_, i) => listen(base + i + 1)));
    await Promise.all(held.filter((s): s is Server => s !== undefined).map(close));
    if (held.every(Boolean)) {
      for (let i = 1; i < count; i++) handedOut.add(base + i);
      return base;
    }
  }
  throw new Error(`could not find ${count} consecutive free ports`);
}
