import type { FeedItem } from './execution-feed.js';
import { formatPosition } from './execution-feed.js';

/** The part of an HTTP response an event stream writes to (Express's, or Node's ServerResponse). */
export interface SseResponse {
  setHeader(name: string, value: string): unknown;
  flushHeaders(): void;
  write(chunk: string): boolean;
  end(): void;
  on(event: 'close', listener: () => void): unknown;
  writableEnded: boolean;
}

const HEARTBEAT_MS = 15_000;

/** Writes a feed as Server-Sent Events: `id:` is the resume position (send it back as Last-Event-ID). */
export async function writeSse(res: SseResponse, items: AsyncIterable<FeedItem>, abort: AbortController): Promise<void> {
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('connection', 'keep-alive');
  // Proxies (nginx ingress) must not buffer the stream.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.on('close', () => abort.abort());
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  try {
    res.write('retry: 1000\n\n');
    for await (const item of items) {
      const data = item.kind === 'event' ? { seq: item.seq, type: item.type, payload: item.payload, at: item.at } : { seq: item.seq, kind: item.chunkKind, text: item.text, final: item.final };
      res.write(`id: ${formatPosition(item.position)}\nevent: ${item.kind === 'event' ? item.type : 'chunk'}\ndata: ${JSON.stringify(data)}\n\n`);
    }
    if (!abort.signal.aborted) res.write('event: end\ndata: {}\n\n');
  } catch (err) {
    const message = err instanceof Error ? err.message : 'stream failed';
    if (!res.writableEnded) res.write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
  } finally {
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
  }
}
