import type { ApiError, JetStreamManager, PubAck, StreamInfo, ConsumerInfo } from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import { errors, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { messagingConfig } from './messaging.config.js';
import { RequestMux } from './request-mux.js';

const NANOS_PER_MS = 1_000_000;
// JetStream API error code for "stream name already in use" (not exported by @nats-io/jetstream).
const STREAM_NAME_IN_USE = 10058;

export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  /** How long messages are kept; 0 keeps them until limits say otherwise. */
  maxAgeMs?: number;
  /** Window in which a repeated Nats-Msg-Id is dropped (default 2 min). */
  duplicateWindowMs?: number;
  /** Serve direct gets (`$JS.API.DIRECT.GET`), e.g. the next message on a subject. */
  allowDirect?: boolean;
}

/** Copies and size cap of a stream: NATS_STREAM_REPLICAS and NATS_STREAM_MAX_BYTES unless the caller says otherwise. */
export interface StreamLimits {
  replicas: number;
  /** Bytes; -1: no cap (then max_age and the server's limits apply). */
  maxBytes: number;
}

export function configuredStreamLimits(): StreamLimits {
  const config = messagingConfig();
  return { replicas: config.NATS_STREAM_REPLICAS, maxBytes: config.NATS_STREAM_MAX_BYTES };
}

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && (err.code === JetStreamApiCodes.StreamNotFound || err.code === JetStreamApiCodes.ConsumerNotFound);
}

/**
 * Creates the stream, or updates its subjects and limits (replicas included: a stream made with one copy gets three
 * once NATS_STREAM_REPLICAS says so): safe to call on every boot from every replica.
 */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec, limits: StreamLimits = configuredStreamLimits()): Promise<StreamInfo> {
  const maxAgeMs = spec.maxAgeMs ?? 0;
  // JetStream refuses a duplicate window longer than the stream's max age.
  const windowMs = Math.min(spec.duplicateWindowMs ?? 120_000, maxAgeMs > 0 ? maxAgeMs : Infinity);
  const config = {
    subjects: [...spec.subjects],
    max_age: maxAgeMs * NANOS_PER_MS,
    duplicate_window: windowMs * NANOS_PER_MS,
    num_replicas: limits.replicas,
    max_bytes: limits.maxBytes,
    ...(spec.allowDirect ? { allow_direct: true } : {}),
  };
  try {
    await jsm.streams.info(spec.name);
    return await jsm.streams.update(spec.name, config);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      return await jsm.streams.add({ name: spec.name, ...config });
    } catch (addErr) {
      // Another replica created it between our info and add.
      if (addErr instanceof JetStreamApiError && addErr.code === STREAM_NAME_IN_USE) return jsm.streams.info(spec.name);
      throw addErr;
    }
  }
}

export interface ConsumerSpec {
  durable: string;
  filterSubject?: string;
  ackWaitMs?: number;
  maxDeliver?: number;
  deliverNew?: boolean;
}

/** A durable pull consumer with explicit acks; created or updated in place. */
export async function ensureConsumer(jsm: JetStreamManager, stream: string, spec: ConsumerSpec): Promise<ConsumerInfo> {
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: (spec.ackWaitMs ?? 30_000) * NANOS_PER_MS,
    max_deliver: spec.maxDeliver ?? -1,
    ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
  };
  try {
    await jsm.consumers.info(stream, spec.durable);
    return await jsm.consumers.update(stream, spec.durable, config);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return jsm.consumers.add(stream, { ...config, deliver_policy: spec.deliverNew ? DeliverPolicy.New : DeliverPolicy.All });
  }
}

/**
 * Publishes to a stream with `Nats-Msg-Id`: a second publish of the same id inside the stream's duplicate window is
 * stored once (`ack.duplicate` is then true). The JetStream publish protocol (the subject, the header, a JSON ack
 * or error on the reply) over RequestMux, which spares the Error nats.js builds per request.
 */
export async function publishOnce(nc: NatsConnection, subject: string, data: Uint8Array, msgId: string, headers?: MsgHdrs, timeoutMs = 5_000): Promise<PubAck> {
  const h = headers ?? natsHeaders();
  h.set('Nats-Msg-Id', msgId);
  let reply: Msg;
  try {
    reply = await RequestMux.of(nc).request(subject, data, { timeoutMs, headers: h });
  } catch (err) {
    if (err instanceof errors.NoRespondersError) throw new JetStreamError(`no stream takes ${subject} (is JetStream enabled?)`, { cause: err });
    throw err;
  }
  const ack = JSON.parse(new TextDecoder().decode(reply.data)) as Partial<PubAck> & { error?: ApiError };
  if (ack.error) throw new JetStreamApiError(ack.error);
  if (!ack.stream || ack.seq === undefined) throw new JetStreamError(`invalid ack for ${subject}`);
  return { ...ack, duplicate: ack.duplicate ?? false } as PubAck;
}
