import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { SpineError, streams, subjects } from '@spine/contracts';
import { ensureStream, publishOnce } from './jetstream.js';

/** Headers a dead letter carries besides the original message's bytes. */
export const DeadLetterHeader = {
  Subject: 'Spine-DL-Subject',
  Stream: 'Spine-DL-Stream',
  StreamSeq: 'Spine-DL-Stream-Seq',
  Consumer: 'Spine-DL-Consumer',
  Reason: 'Spine-DL-Reason',
  Deliveries: 'Spine-DL-Deliveries',
} as const;

export interface DeadLetter {
  /** Its sequence in DEAD_LETTERS: the id to replay it by. */
  seq: number;
  tenant: string;
  consumer: string;
  /** Where it was published first, and where a replay publishes it again. */
  subject: string;
  stream: string;
  streamSeq: number;
  reason: string;
  deliveries: number;
  at: string;
  data: Uint8Array;
}

const REASON_MAX = 1_000;

/**
 * Moves a message a consumer cannot handle to DEAD_LETTERS (`spine.deadletter.<tenant>.<consumer>`), then terminates
 * it so JetStream stops redelivering. The publish is deduplicated by the original stream position, so a crash between
 * the two steps stores it once.
 */
export async function deadLetter(nc: NatsConnection, m: JsMsg, to: { tenant: string; consumer: string; reason: string }): Promise<void> {
  const h = natsHeaders();
  h.set(DeadLetterHeader.Subject, m.subject);
  h.set(DeadLetterHeader.Stream, m.info.stream);
  h.set(DeadLetterHeader.StreamSeq, String(m.seq));
  h.set(DeadLetterHeader.Consumer, to.consumer);
  h.set(DeadLetterHeader.Reason, to.reason.replace(/[\r\n]+/g, ' ').slice(0, REASON_MAX));
  h.set(DeadLetterHeader.Deliveries, String(m.info.deliveryCount));
  await publishOnce(nc, subjects.deadLetter(to.tenant, to.consumer), m.data, `${m.info.stream}:${m.seq}:${to.consumer}`, h);
  m.term(`dead-lettered: ${to.reason.slice(0, 200)}`);
}

/** The tenant's dead letters after `afterSeq`, oldest first, at most `limit`. */
export async function listDeadLetters(jsm: JetStreamManager, tenant: string, page: { afterSeq?: number; limit: number }): Promise<DeadLetter[]> {
  await ensureStream(jsm, streams.deadLetters);
  const found: DeadLetter[] = [];
  let seq = (page.afterSeq ?? 0) + 1;
  while (found.length < page.limit) {
    const stored = await jsm.direct.getMessage(streams.deadLetters.name, { seq, next_by_subj: subjects.deadLetters(tenant) }).catch(notFoundAsNull);
    if (!stored) break;
    found.push(deadLetterOf(tenant, stored.seq, stored.time.toISOString(), stored.header, stored.data));
    seq = stored.seq + 1;
  }
  return found;
}

/**
 * Publishes a dead letter again on its original subject (a new Nats-Msg-Id, so the stream takes it), then removes it
 * from DEAD_LETTERS. Another tenant's seq reads as NOT_FOUND.
 */
export async function replayDeadLetter(nc: NatsConnection, jsm: JetStreamManager, tenant: string, seq: number): Promise<DeadLetter> {
  const stored = await jsm.streams.getMessage(streams.deadLetters.name, { seq }).catch(notFoundAsNull);
  const prefix = subjects.deadLetters(tenant).slice(0, -1);
  if (!stored || !stored.subject.startsWith(prefix)) throw SpineError.notFound(`no dead letter ${seq}`, { seq: String(seq) });
  const letter = deadLetterOf(tenant, stored.seq, stored.time.toISOString(), stored.header, stored.data);
  // Defence in depth: only the tenant's own subjects are replayed to, whatever the headers say.
  if (letter.subject.split('.')[2] !== tenant) throw SpineError.invalid(`dead letter ${seq} names a subject outside the tenant`, { seq: String(seq) });
  await publishOnce(nc, letter.subject, letter.data, `replay:${streams.deadLetters.name}:${seq}`);
  await jsm.streams.deleteMessage(streams.deadLetters.name, seq, false);
  return letter;
}

function deadLetterOf(tenant: string, seq: number, at: string, h: { get(k: string): string }, data: Uint8Array): DeadLetter {
  return {
    seq, tenant, at, data,
    consumer: h.get(DeadLetterHeader.Consumer),
    subject: h.get(DeadLetterHeader.Subject),
    stream: h.get(DeadLetterHeader.Stream),
    streamSeq: Number(h.get(DeadLetterHeader.StreamSeq)) || 0,
    reason: h.get(DeadLetterHeader.Reason),
    deliveries: Number(h.get(DeadLetterHeader.Deliveries)) || 0,
  };
}

/** getMessage throws "no message found" (JetStream 10037) past the end; that is the end of the list, not an error. */
function notFoundAsNull(err: unknown): null {
  const code = (err as { code?: unknown; api_error?: { err_code?: number } }).api_error?.err_code;
  if (code === 10037 || /no message found/i.test((err as Error).message)) return null;
  throw err;
}
