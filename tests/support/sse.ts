export interface SseEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a Server-Sent Events response until `stop(events)` says so or the server ends the stream; then drops the
 * connection, as a client losing its network would.
 */
export async function readSse(url: string, init: RequestInit, stop: (events: SseEvent[]) => boolean = () => false): Promise<{ status: number; events: SseEvent[] }> {
  const abort = new AbortController();
  const res = await fetch(url, { ...init, signal: abort.signal });
  const events: SseEvent[] = [];
  if (!res.ok || !res.body) return { status: res.status, events };
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]));
        if (fields['data'] === undefined) continue;
        events.push({ id: fields['id'], event: fields['event'] ?? 'message', data: JSON.parse(fields['data']) as Record<string, unknown> });
        if (stop(events)) return { status: res.status, events };
      }
    }
  } finally {
    abort.abort();
  }
  return { status: res.status, events };
}
