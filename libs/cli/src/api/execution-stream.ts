import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ApiClient } from './client.js';
import { CliError } from './errors.js';

/** One item of an execution's stream: a committed event, or a reply chunk (a token, a question, progress). */
export type FeedItem =
  | { kind: 'event'; id: string | undefined; type: string; seq: number; payload: Record<string, unknown>; at: string }
  | { kind: 'chunk'; id: string | undefined; seq: number; chunkKind: string; text: string; final: boolean };

export interface FollowOptions {
  /** A stream already open (the SSE answer of POST /v1/conversations/{id}/messages), read before any reconnect. */
  first?: Response;
  /** Resume after this position (an SSE `id:`), as a reconnect does. */
  lastEventId?: string;
  onItem(item: FeedItem): void;
  /** Called before each reconnect with the position it resumes from. */
  onReconnect?(lastEventId: string | undefined): void;
  signal?: AbortSignal;
}

/** Consecutive connections that end before bringing anything new: past this the server is taken to be gone. */
const MAX_EMPTY_DROPS = 5;

const transient = (err: unknown) => err instanceof CliError && (err.code === 'UNREACHABLE' || err.status === 429 || (err.status ?? 0) >= 500);
// Reconnecting after a drop: backoff between failed attempts (refused, 5xx, 429); a 4xx (401, 404) fails at once.
const reconnectPolicy = retry(handleWhen(transient), { maxAttempts: 6, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4_000 }) });

/**
 * Follows GET /v1/executions/{id}/stream until the server sends `event: end`. A connection that drops (network,
 * proxy, replica restart) is opened again with `Last-Event-ID` set to the last id seen, so the server resumes
 * after it: no gap and no duplicate, whichever replica answers.
 */
export async function followExecution(client: ApiClient, executionId: string, options: FollowOptions): Promise<void> {
  let lastEventId = options.lastEventId;
  let emptyDrops = 0;
  let pending = options.first;
  for (;;) {
    const res =
      pending ??
      (await reconnectPolicy.execute(() =>
        client.open('GET', `/v1/executions/${encodeURIComponent(executionId)}/stream`, {
          headers: lastEventId ? { 'last-event-id': lastEventId } : {},
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      ));
    pending = undefined;
    let progressed = false;
    const outcome = await readStream(res, options.signal, (id, item) => {
      if (id) lastEventId = id;
      progressed = true;
      options.onItem(item);
    });
    if (outcome === 'end') return;
    emptyDrops = progressed ? 0 : emptyDrops + 1;
    if (emptyDrops >= MAX_EMPTY_DROPS) {
      throw new CliError(`the stream of execution ${executionId} kept closing without sending anything`, { code: 'STREAM_DROPPED', hint: `resume later with spine executions tail ${executionId}${lastEventId ? ` --from ${lastEventId}` : ''}` });
    }
    options.onReconnect?.(lastEventId);
  }
}

/** Reads one SSE response: 'end' when the server said so, 'dropped' when the connection ended without it. */
async function readStream(res: Response, signal: AbortSignal | undefined, onItem: (id: string | undefined, item: FeedItem) => void): Promise<'end' | 'dropped'> {
  if (!res.body) return 'dropped';
  const messages = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  try {
    for await (const message of messages) {
      if (message.event === 'end') return 'end';
      // The server's feed failed mid-stream (`event: error`): resume from the last id like after a drop.
      if (message.event === 'error') return 'dropped';
      const item = itemOf(message.id, message.event ?? 'message', message.data);
      if (item) onItem(message.id, item);
    }
  } catch (err) {
    if (signal?.aborted) throw err;
  }
  return 'dropped';
}

function itemOf(id: string | undefined, event: string, data: string): FeedItem | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (event === 'chunk') {
    return { kind: 'chunk', id, seq: Number(body['seq']), chunkKind: String(body['kind'] ?? 'token'), text: String(body['text'] ?? ''), final: body['final'] === true };
  }
  const payload = typeof body['payload'] === 'object' && body['payload'] !== null ? (body['payload'] as Record<string, unknown>) : {};
  return { kind: 'event', id, type: String(body['type'] ?? event), seq: Number(body['seq']), payload, at: String(body['at'] ?? '') };
}
