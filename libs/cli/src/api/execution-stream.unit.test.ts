import { describe, expect, it } from 'vitest';
import { ApiClient } from './client.js';
import { followExecution, type FeedItem } from './execution-stream.js';

/** An SSE body that sends `blocks`, then either `event: end` or a network error (a drop), as a socket would: in order. */
const sse = (blocks: string[], end: 'end' | 'drop') =>
  ReadableStream.from(
    (async function* () {
      for (const b of blocks) yield new TextEncoder().encode(b);
      if (end === 'drop') throw new TypeError('terminated');
      yield new TextEncoder().encode('event: end\ndata: {}\n\n');
    })(),
  );

const event = (id: string, seq: number, type: string) => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ seq, type, payload: {}, at: '2026-01-01T00:00:00Z' })}\n\n`;
const chunk = (id: string, seq: number, text: string) => `id: ${id}\nevent: chunk\ndata: ${JSON.stringify({ seq, kind: 'token', text, final: false })}\n\n`;

/** A fetch that answers each call with the next scripted stream, recording the Last-Event-ID it was sent. */
function scripted(streams: ReadableStream<Uint8Array>[]) {
  const sent: (string | undefined)[] = [];
  const fetchImpl = (async (_url: URL, init: RequestInit) => {
    sent.push((init.headers as Record<string, string>)['last-event-id']);
    const body = streams.shift();
    return body ? new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }) : new Response('{"code":"NOT_FOUND","message":"gone"}', { status: 404 });
  }) as unknown as typeof fetch;
  return { sent, client: new ApiClient({ url: 'http://spine.test', key: 'spk_x', source: 'flags' }, fetchImpl) };
}

describe('followExecution', () => {
  it('reconnects after a drop with the last id seen and reads on with no gap', async () => {
    const { sent, client } = scripted([
      sse([event('1.0', 1, 'state_changed'), chunk('1.1', 1, 'a'), 'id: 1.2\nevent: chunk\ndata: {"seq":2,"te'], 'drop'),
      sse([chunk('1.2', 2, 'b'), event('2.2', 2, 'state_changed')], 'end'),
    ]);
    const items: FeedItem[] = [];
    const resumed: (string | undefined)[] = [];
    await followExecution(client, 'e1', { onItem: (i) => items.push(i), onReconnect: (id) => resumed.push(id) });
    expect(sent).toEqual([undefined, '1.1']);
    expect(resumed).toEqual(['1.1']);
    expect(items.map((i) => `${i.kind}:${i.seq}`)).toEqual(['event:1', 'chunk:1', 'chunk:2', 'event:2']);
  });

  it('starts after --from and fails with the API error when the execution is gone', async () => {
    const { sent, client } = scripted([]);
    await expect(followExecution(client, 'e1', { lastEventId: '4.2', onItem: () => undefined })).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(sent).toEqual(['4.2']);
  });

  it('gives up when connections keep closing with nothing new', async () => {
    const { client } = scripted(Array.from({ length: 5 }, () => sse([], 'drop')));
    await expect(followExecution(client, 'e1', { onItem: () => undefined })).rejects.toMatchObject({ code: 'STREAM_DROPPED' });
  });
});
