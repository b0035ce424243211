import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the proxy saw of one request for an execution stream. */
export interface StreamRequest {
  lastEventId: string | undefined;
  /** Whether the proxy cut this connection. */
  cut: boolean;
}

/**
 * A TCP proxy in front of an orchestrator that cuts the first execution stream it carries once `cutAfterChunks`
 * reply chunks have gone through, as a dropped network would; later streams (the client's reconnect) pass untouched.
 */
export class CuttingProxy {
  readonly streams: StreamRequest[] = [];
  private readonly sockets = new Set<Socket>();

  private readonly server: Server;
  url = '';

  private constructor(target: string, cutAfterChunks: number) {
    const { hostname, port } = new URL(target);
    this.server = createServer((client) => this.carry(client, hostname, Number(port), cutAfterChunks));
  }

  static async start(target: string, cutAfterChunks: number): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(target, cutAfterChunks);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy.url = `http://127.0.0.1:${address.port}`;
    return proxy;
  }

  private carry(client: Socket, host: string, port: number, cutAfterChunks: number): void {
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined); // a cut connection errors on the other side: expected here
    }
    let stream: StreamRequest | undefined;
    let chunks = 0;
    client.on('data', (data: Buffer) => {
      const head = data.toString('latin1');
      if (/^GET \/v1\/executions\/[^/\s]+\/stream/.test(head)) {
        stream = { lastEventId: /\r\nlast-event-id: *([^\r\n]*)/i.exec(head)?.[1], cut: false };
        this.streams.push(stream);
      }
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (stream?.cut) return; // cut: nothing more reaches the client
      const cutting = stream !== undefined && this.streams[0] === stream && !stream.cut;
      const cutAt = cutting ? this.endOfChunk(data.toString('latin1'), cutAfterChunks - chunks, (n) => (chunks += n)) : -1;
      if (cutAt < 0) {
        client.write(data);
        return;
      }
      // Everything up to the end of the last chunk event wanted, then the connection is gone: whatever the
      // server had already sent after it (all of it, when the execution was quick) never arrives.
      stream!.cut = true;
      client.write(data.subarray(0, cutAt), () => {
        client.destroy();
        upstream.destroy();
      });
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Where the `wanted`-th complete chunk event in `text` ends (-1: not in it); counts the complete ones it passes. */
  private endOfChunk(text: string, wanted: number, count: (n: number) => void): number {
    let from = 0;
    for (let seen = 1; ; seen++) {
      const start = text.indexOf('event: chunk\n', from);
      const end = start < 0 ? -1 : text.indexOf('\n\n', start);
      if (end < 0) {
        count(seen - 1);
        return -1;
      }
      from = end + 2;
      if (seen === wanted) {
        count(seen);
        return from;
      }
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
