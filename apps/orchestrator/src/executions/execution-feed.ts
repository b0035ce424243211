import { fromBinary } from '@bufbuild/protobuf';
import { DeliverPolicy, jetstream, type Consumer, type ConsumerMessages, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChunkKind, SpineError, StreamChunkSchema, streams, subjects } from '@spine/contracts';
import { NATS_CONNECTION } from '@spine/messaging';
import { Clock } from '../core/clock.js';
import { SETTLED, type EventRow, type Json } from '../store/execution.model.js';
import { ExecutionsRepository } from '../store/executions.repository.js';
import { backgroundFailure } from '@spine/observability';

/** Where a follower is: the last event sequence and the last reply-chunk sequence it has. */
export interface FeedPosition {
  events: number;
  chunks: number;
}

export type ChunkKindName = 'progress' | 'token' | 'question' | 'error';

export type FeedItem =
  | { kind: 'event'; seq: number; type: string; payload: Json; at: Date; position: FeedPosition }
  | { kind: 'chunk'; seq: number; chunkKind: ChunkKindName; text: string; final: boolean; position: FeedPosition };

/** `"<events>.<chunks>"`: the SSE event id and the gRPC resume token. */
export function formatPosition(p: FeedPosition): string {
  return `${p.events}.${p.chunks}`;
}

/** A Last-Event-ID as sent back by a client; anything unreadable starts from the beginning. */
export function parsePosition(text: string | undefined): FeedPosition {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text?.trim() ?? '');
  return match ? { events: Number(match[1]), chunks: Number(match[2]) } : { events: 0, chunks: 0 };
}

/** Whether a state (as the log spells it) is one after which the execution does nothing more by itself. */
const settles = (state: unknown) => (SETTLED as readonly unknown[]).includes(state);
const CHUNK_KINDS: Record<number, ChunkKindName> = { [ChunkKind.PROGRESS]: 'progress', [ChunkKind.TOKEN]: 'token', [ChunkKind.QUESTION]: 'question', [ChunkKind.ERROR]: 'error' };
/**
 * After the execution settles, how long to wait for chunks still on their way. Agents publish their chunks before
 * they answer, so every chunk is in JetStream by then; this only covers delivery to this follower.
 */
const CHUNK_GRACE_MS = 300;
/**
 * Before an event that follows an agent's answer (its node completed or failed), how long to wait for that agent's
 * chunks to reach this follower, so a node's tokens come before its ✓ and the next node's start. They are already in
 * JetStream; this is only delivery, and the bound keeps a lost consumer from holding the events back.
 */
const CHUNK_CATCH_UP_MS = 1_000;
/** Events an agent's chunks must precede: the agent published every chunk before it answered. */
const AFTER_ANSWER = new Set(['node_completed', 'node_failed']);
/** A safety net when a wake-up is missed (JetStream down): re-read the log this often. */
const POLL_MS = 1_000;

type ChunkItem = Extract<FeedItem, { kind: 'chunk' }>;
/** A chunk as received, with the time JetStream stored it. */
interface Received {
  chunk: ChunkItem;
  storedMs: number;
}
/** How far a follower's chunk consumer has got: the last stream sequence delivered and when JetStream stored it. */
interface Delivered {
  streamSeq: number;
  storedMs: number;
}

/** A small async queue the two sources (event log, reply chunks) push into and the follower drains. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.poke();
  }

  poke(): void {
    this.waiter?.();
    this.waiter = undefined;
  }

  take(): T | undefined {
    return this.items.shift();
  }

  peek(): T | undefined {
    return this.items[0];
  }

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * Follows one execution: its committed events from Postgres (woken by the events the executor publishes on
 * `spine.events.<tenant>.<execution>`, so any replica can follow any execution) and its reply chunks from JetStream
 * (`spine.stream.<tenant>.<execution>`). Each source resumes from its own position, so a reconnect with the last
 * position sees no gap and no duplicate, whichever replica it reaches.
 */
@Injectable()
export class ExecutionFeed {
  private readonly logger = new Logger(ExecutionFeed.name);
  private jsm: Promise<JetStreamManager> | undefined;

  constructor(
    private readonly executions: ExecutionsRepository,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly clock: Clock,
  ) {}

  async *follow(tenantId: string, executionId: string, from: FeedPosition, signal: AbortSignal): AsyncIterable<FeedItem> {
    const execution = await this.executions.get(tenantId, executionId);
    if (!execution) throw SpineError.notFound(`no execution '${executionId}'`);
    const position = { ...from };
    const inbox = new Inbox<Received>();
    const delivered: Delivered = { streamSeq: 0, storedMs: 0 };
    const wakeups: Subscription = this.nc.subscribe(subjects.executionEvents(tenantId, executionId), { callback: () => inbox.poke() });
    let chunks = await this.followChunks(tenantId, executionId, position.chunks, inbox, delivered);
    const onAbort = () => inbox.poke();
    signal.addEventListener('abort', onAbort);
    let settledAt: number | undefined = settles(execution.state) ? this.clock.nowMs() : undefined;
    let replyEnded = false;
    /** The chunks received so far, or only those JetStream stored before `beforeMs`. */
    const drain = function* (beforeMs = Infinity): Generator<FeedItem> {
      for (let next = inbox.peek(); next !== undefined && next.storedMs < beforeMs; next = inbox.peek()) {
        const { chunk } = inbox.take()!;
        if (chunk.seq <= position.chunks) continue;
        position.chunks = chunk.seq;
        replyEnded ||= chunk.final;
        yield { ...chunk, position: { ...position } };
      }
    };
    try {
      while (!signal.aborted) {
        for (const event of await this.executions.eventsAfter(tenantId, executionId, position.events)) {
          if (AFTER_ANSWER.has(event.type)) {
            // The agent published its chunks before it answered: they go out before the event that records the answer.
            chunks ??= await this.followChunks(tenantId, executionId, position.chunks, inbox, delivered);
            if (chunks) await this.catchUp(tenantId, executionId, event.at.getTime(), inbox, delivered, signal);
            yield* drain(event.at.getTime());
          }
          position.events = event.seq;
          if (event.type === 'state_changed' && settles((event.payload as { current?: unknown }).current)) settledAt ??= this.clock.nowMs();
          yield eventItem(event, position);
        }
        yield* drain();
        // The reply stream is created by the first agent that streams: look again until there is one.
        chunks ??= await this.followChunks(tenantId, executionId, position.chunks, inbox, delivered);
        if (settledAt !== undefined && (replyEnded || this.clock.nowMs() - settledAt >= CHUNK_GRACE_MS)) return;
        await inbox.wait(settledAt !== undefined ? 50 : POLL_MS);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      wakeups.unsubscribe();
      await chunks?.close().catch(backgroundFailure(this.logger, 'feed.close_chunks', { executionId }));
    }
  }

  /** Chunks after `after`, pushed into the inbox as they arrive; undefined when the reply stream does not exist yet. */
  private async followChunks(tenantId: string, executionId: string, after: number, inbox: Inbox<Received>, delivered: Delivered): Promise<ConsumerMessages | undefined> {
    let consumer: Consumer;
    try {
      consumer = await jetstream(this.nc).consumers.get(streams.executionStreams.name, {
        filter_subjects: subjects.executionStream(tenantId, executionId),
        deliver_policy: DeliverPolicy.All,
      });
    } catch (err) {
      this.logger.debug?.({ msg: 'feed.no_reply_stream', executionId, err });
      return undefined;
    }
    const messages = await consumer.consume();
    void (async () => {
      // A chunk's place is its rank among the execution's chunks in stream order, not its own sequence: several nodes
      // publish (the tool-executor's progress, then the streamer's reply), each numbering from 1. Every follower reads
      // the same subject in the same order, so the rank is the same on any replica and a resume position holds.
      let seq = 0;
      for await (const msg of messages) {
        seq += 1;
        delivered.streamSeq = msg.seq;
        delivered.storedMs = Number(msg.timestampNanos / 1_000_000n);
        try {
          if (seq <= after) {
            inbox.poke();
            continue;
          }
          const chunk = fromBinary(StreamChunkSchema, msg.data);
          inbox.push({ chunk: { kind: 'chunk', seq, chunkKind: CHUNK_KINDS[chunk.kind] ?? 'token', text: chunk.text, final: chunk.final, position: { events: 0, chunks: seq } }, storedMs: delivered.storedMs });
        } catch (err) {
          this.logger.warn({ msg: 'feed.bad_chunk', executionId, err });
        }
      }
    })();
    return messages;
  }

  /**
   * Waits (boundedly) until this follower has every chunk JetStream stored before `beforeMs`: it has one stored at or
   * after that time, or it has the last one published so far. Clock skew between JetStream and Postgres bounds how
   * exact the cut is; a chunk is never lost either way, only placed a little early or late.
   */
  private async catchUp(tenantId: string, executionId: string, beforeMs: number, inbox: Inbox<Received>, delivered: Delivered, signal: AbortSignal): Promise<void> {
    if (delivered.storedMs >= beforeMs) return;
    const published = await this.lastChunkSeq(tenantId, executionId);
    const until = this.clock.nowMs() + CHUNK_CATCH_UP_MS;
    while (delivered.streamSeq < published && delivered.storedMs < beforeMs && this.clock.nowMs() < until && !signal.aborted) await inbox.wait(until - this.clock.nowMs());
  }

  /** The stream sequence of the execution's last published chunk (0 when none): what a follower must have seen. */
  private async lastChunkSeq(tenantId: string, executionId: string): Promise<number> {
    try {
      this.jsm ??= jetstream(this.nc).jetstreamManager();
      const jsm = await this.jsm;
      const last = await jsm.streams.getMessage(streams.executionStreams.name, { last_by_subj: subjects.executionStream(tenantId, executionId) });
      return last?.seq ?? 0;
    } catch (err) {
      this.logger.debug?.({ msg: 'feed.no_last_chunk', executionId, err });
      return 0;
    }
  }
}

function eventItem(event: EventRow, position: FeedPosition): FeedItem {
  return { kind: 'event', seq: event.seq, type: event.type, payload: event.payload, at: event.at, position: { ...position } };
}
