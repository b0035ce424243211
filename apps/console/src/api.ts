// The console's only way out: same-origin calls to the orchestrator's REST API with the signed-in key in the
// Authorization header (never in a URL), and SSE read through fetch (EventSource cannot send a header).
import { createParser, type EventSourceMessage } from 'eventsource-parser';

const KEY = 'spine.console.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
  }
}

function headers(extra: Record<string, string> = {}, key = session.key()): Record<string, string> {
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

/** One JSON call. A body that is a string goes as-is (with its content type); anything else as JSON. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; contentType?: string; key?: string; signal?: AbortSignal } = {}): Promise<T> {
  const raw = typeof init.body === 'string';
  const res = await fetch(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: headers(init.body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' }, init.key ?? session.key()),
    ...(init.body === undefined ? {} : { body: raw ? (init.body as string) : JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) throw new ApiError(res.status, String(body['code'] ?? res.status), String(body['message'] ?? res.statusText), body['details'] as Record<string, unknown> | undefined);
  return body as T;
}

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: unknown;
}

/**
 * Reads an SSE response (GET, or POST with `body`) until it ends, the signal aborts or the server closes it;
 * `onMessage` gets each event with its JSON data. Resolves with the last event id (to resume with Last-Event-ID).
 */
export async function stream(path: string, onMessage: (m: SseMessage) => void, init: { body?: unknown; signal: AbortSignal; lastEventId?: string; onResponse?: (res: Response) => void }): Promise<string | undefined> {
  const res = await fetch(path, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: headers({ accept: 'text/event-stream', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.lastEventId ? { 'last-event-id': init.lastEventId } : {}) }),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: init.signal,
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ApiError(res.status, String(body['code'] ?? res.status), String(body['message'] ?? res.statusText), undefined);
  }
  init.onResponse?.(res);
  let last = init.lastEventId;
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => {
      if (e.id) last = e.id;
      let data: unknown = e.data;
      try {
        data = JSON.parse(e.data);
      } catch {
        // not JSON: keep the text
      }
      onMessage({ id: e.id, event: e.event ?? 'message', data });
    },
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } catch (err) {
    if (!init.signal.aborted) throw err;
  }
  return last;
}

export type Role = 'client' | 'agent-publisher' | 'admin' | 'reviewer';
export interface Principal {
  tenantId: string;
  role: Role;
  keyId: string;
}
