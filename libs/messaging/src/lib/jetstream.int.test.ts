import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureConsumer, ensureStream, publishOnce } from './jetstream.js';

describe('JetStream helpers', () => {
  let nc: NatsConnection;
  const name = `TEST_${randomUUID().slice(0, 8).toUpperCase()}`;
  const subjectRoot = `spine.jstest.${name.toLowerCase()}`;

  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
  });

  afterAll(async () => {
    await nc?.close();
  });

  it('creates a stream once and updates it in place on the next call', async () => {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, { name, subjects: [`${subjectRoot}.a.>`] });
    const updated = await ensureStream(jsm, { name, subjects: [`${subjectRoot}.a.>`, `${subjectRoot}.b.>`], maxAgeMs: 60_000 });
    expect(updated.config.subjects).toEqual([`${subjectRoot}.a.>`, `${subjectRoot}.b.>`]);
    expect(updated.config.max_age).toBe(60_000 * 1_000_000);
  });

  it('creates streams with the configured replicas and size cap, and applies a new cap in place', async () => {
    const jsm = await jetstreamManager(nc);
    const capped = `${name}_CAPPED`;
    const created = await ensureStream(jsm, { name: capped, subjects: [`${subjectRoot}.capped.>`] }, { replicas: 1, maxBytes: 1024 * 1024 });
    expect([created.config.num_replicas, created.config.max_bytes]).toEqual([1, 1024 * 1024]);
    const updated = await ensureStream(jsm, { name: capped, subjects: [`${subjectRoot}.capped.>`] }, { replicas: 1, maxBytes: -1 });
    expect(updated.config.max_bytes).toBe(-1);
    // This test server is a single node: three copies need the 3-node cluster, and the server says so.
    await expect(ensureStream(jsm, { name: `${name}_R3`, subjects: [`${subjectRoot}.r3.>`] }, { replicas: 3, maxBytes: -1 })).rejects.toThrow(/replicas/i);
  });

  it('follows NATS_STREAM_REPLICAS and NATS_STREAM_MAX_BYTES by default (one copy, no cap when unset)', async () => {
    const jsm = await jetstreamManager(nc);
    const info = await ensureStream(jsm, { name: `${name}_DEFAULT`, subjects: [`${subjectRoot}.default.>`] });
    expect([info.config.num_replicas, info.config.max_bytes]).toEqual([1, -1]);
  });

  it('stores a message published twice with the same Nats-Msg-Id once', async () => {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, { name, subjects: [`${subjectRoot}.a.>`, `${subjectRoot}.b.>`] });
    const before = (await jsm.streams.info(name)).state.messages;
    const first = await publishOnce(nc, `${subjectRoot}.a.x`, new Uint8Array([1]), 'same-id');
    const second = await publishOnce(nc, `${subjectRoot}.a.x`, new Uint8Array([1]), 'same-id');
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect((await jsm.streams.info(name)).state.messages).toBe(before + 1);
  });

  it('sets up a durable consumer that reads what was published', async () => {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await ensureStream(jsm, { name, subjects: [`${subjectRoot}.a.>`, `${subjectRoot}.b.>`] });
    await ensureConsumer(jsm, name, { durable: 'reader', filterSubject: `${subjectRoot}.b.>` });
    const again = await ensureConsumer(jsm, name, { durable: 'reader', filterSubject: `${subjectRoot}.b.>`, ackWaitMs: 5_000 });
    expect(again.config.ack_wait).toBe(5_000 * 1_000_000);
    await publishOnce(nc, `${subjectRoot}.b.y`, new TextEncoder().encode('hi'), randomUUID());
    const consumer = await js.consumers.get(name, 'reader');
    const msg = await consumer.next({ expires: 2_000 });
    expect(msg?.string()).toBe('hi');
    msg?.ack();
  });

  it('says which subject no stream takes, and passes on what the stream refuses', async () => {
    await expect(publishOnce(nc, `spine.jstest.nostream.${randomUUID()}`, new Uint8Array([1]), randomUUID())).rejects.toThrow(/no stream takes spine\.jstest\.nostream/);
    const jsm = await jetstreamManager(nc);
    const small = `${name}_SMALL`;
    await ensureStream(jsm, { name: small, subjects: [`${subjectRoot}.small.>`] });
    await jsm.streams.update(small, { max_msg_size: 8 });
    await expect(publishOnce(nc, `${subjectRoot}.small.x`, new Uint8Array(64), randomUUID())).rejects.toThrow(/message size exceeds maximum/i);
    await jsm.streams.delete(small);
  });
});
