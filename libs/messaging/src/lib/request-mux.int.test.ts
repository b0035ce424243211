import { connect, errors, headers, type NatsConnection } from '@nats-io/transport-node';
import { EventEmitter, once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RequestMux } from './request-mux.js';

describe('RequestMux: request/reply over one inbox subscription per connection', () => {
  let server: NatsConnection;
  let client: NatsConnection;
  /** 'sent' each time mux.slow has sent its (late) reply. */
  const slowReplies = new EventEmitter();

  beforeAll(async () => {
    [server, client] = await Promise.all([connect({ servers: inject('natsUrl') }), connect({ servers: inject('natsUrl') })]);
    server.subscribe('mux.echo', {
      callback: (_, msg) => {
        msg.respond(msg.data, { headers: msg.headers });
      },
    });
    server.subscribe('mux.slow', {
      callback: (_, msg) => {
        setTimeout(() => {
          msg.respond(msg.data);
          slowReplies.emit('sent');
        }, 300);
      },
    });
    await server.flush();
  });

  afterAll(async () => {
    await Promise.all([server?.close(), client?.close()]);
  });

  it('gives each of many requests in flight its own reply, headers included', async () => {
    const mux = RequestMux.of(client);
    expect(RequestMux.of(client)).toBe(mux);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const h = headers();
        h.set('x-n', String(i));
        return mux.request('mux.echo', new TextEncoder().encode(`#${i}`), { timeoutMs: 2_000, headers: h });
      }),
    );
    expect(replies.map((r) => r.string())).toEqual(Array.from({ length: 200 }, (_, i) => `#${i}`));
    expect(replies.map((r) => r.headers?.get('x-n'))).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    expect(mux.waiting).toBe(0);
  });

  it('rejects with NoRespondersError when nothing listens, and TimeoutError when the reply is late (which is then dropped)', async () => {
    const mux = RequestMux.of(client);
    await expect(mux.request('mux.nobody', new Uint8Array(), { timeoutMs: 2_000 })).rejects.toBeInstanceOf(errors.NoRespondersError);
    const lateReply = once(slowReplies, 'sent');
    await expect(mux.request('mux.slow', new Uint8Array([1]), { timeoutMs: 50 })).rejects.toBeInstanceOf(errors.TimeoutError);
    // The late reply has been sent, the server has routed it (server flush), and the client has read it (client
    // flush: the PONG comes after it on the client's connection): the mux has seen it and dropped it.
    await lateReply;
    await server.flush();
    await client.flush();
    expect(mux.waiting).toBe(0);
    expect([...(await mux.request('mux.echo', new Uint8Array([7]), { timeoutMs: 2_000 })).data]).toEqual([7]);
  });

  it('fails what is waiting when the connection closes, and refuses new requests', async () => {
    const own = await connect({ servers: inject('natsUrl') });
    const mux = RequestMux.of(own);
    const waiting = mux.request('mux.slow', new Uint8Array([1]), { timeoutMs: 5_000 });
    await own.close();
    await expect(waiting).rejects.toBeInstanceOf(errors.ClosedConnectionError);
    await expect(mux.request('mux.echo', new Uint8Array(), { timeoutMs: 1_000 })).rejects.toBeInstanceOf(errors.ClosedConnectionError);
  });
});
