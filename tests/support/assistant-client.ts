// A client of the public conversation API (REST + SSE), with no imports, so the e2e tests, the demo
// (tools/demo, run by Node's type stripping) and the benchmark share it.

export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

export interface Chunk {
  seq: number;
  kind: string;
  text: string;
  final: boolean;
}

export interface Turn {
  executionId: string;
  /** The last state the stream reported: DONE, WAITING_INPUT, FAILED, … */
  state: string;
  /** The streamed reply: every reply chunk's text (progress chunks left out), in the order the chunks arrived. */
  reply: string;
  /** What the user read while tools ran: each CHUNK_KIND_PROGRESS chunk's text, in order. */
  progress: string[];
  /** As they arrived: a chunk out of sequence or repeated shows here. */
  chunks: Chunk[];
  events: StreamEvent[];
  /** From sending the message to the first reply chunk, and to the end of the stream. */
  firstTokenMs: number | undefined;
  doneMs: number;
}

export interface NodeRun {
  nodeId: string;
  state: string;
  input: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
}

export interface Execution {
  id: string;
  state: string;
  error: unknown;
  nodes: NodeRun[];
}

export interface SayOptions {
  timezone?: string;
  locale?: 'es' | 'en';
  /** Called with each reply chunk as it arrives. */
  onChunk?: (text: string) => void;
  timeoutMs?: number;
}

/** Every turn any AssistantClient of this test file read, so one check can scan every reply a user saw (reply-scan.setup.ts). */
export const replyLog: { text: string; locale: 'es' | 'en' | undefined; turn: Turn }[] = [];

export class AssistantClient {
  readonly baseUrl: string;
  private readonly key: string;

  constructor(baseUrl: string, key: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.key = key;
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  async conversation(userId: string): Promise<string> {
    const res = await this.request('POST', '/v1/conversations', { userId });
    if (res.status !== 201 && res.status !== 200) throw new Error(`POST /v1/conversations: ${res.status} ${JSON.stringify(res.body)}`);
    return String(res.body['id']);
  }

  /** Sends one message and reads its SSE stream to the end. */
  async say(conversationId: string, text: string, opts: SayOptions = {}): Promise<Turn> {
    const began = performance.now();
    const res = await fetch(`${this.baseUrl}/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text, timezone: opts.timezone ?? 'Europe/Madrid', ...(opts.locale ? { locale: opts.locale } : {}) }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 45_000),
    });
    if (!res.ok || !res.body) throw new Error(`POST messages: ${res.status} ${await res.text()}`);
    const executionId = res.headers.get('x-execution-id') ?? '';
    const events: StreamEvent[] = [];
    const chunks: Chunk[] = [];
    let firstTokenMs: number | undefined;
    const decoder = new TextDecoder();
    let buffer = '';
    let ended = false;
    for await (const piece of res.body) {
      buffer += decoder.decode(piece as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!event) continue;
        events.push(event);
        if (event.event === 'chunk') {
          const chunk = { seq: Number(event.data['seq']), kind: String(event.data['kind'] ?? ''), text: String(event.data['text'] ?? ''), final: event.data['final'] === true };
          chunks.push(chunk);
          if (chunk.text && chunk.kind !== 'progress') {
            firstTokenMs ??= performance.now() - began;
            opts.onChunk?.(chunk.text);
          }
        }
        if (event.event === 'end') ended = true;
      }
      if (ended) break;
    }
    const states = events.filter((e) => e.event === 'state_changed').map((e) => String((e.data['payload'] as { current?: string } | undefined)?.current ?? ''));
    const reply = chunks.filter((c) => c.kind !== 'progress').map((c) => c.text).join('');
    const progress = chunks.filter((c) => c.kind === 'progress').map((c) => c.text);
    const turn = { executionId, state: states.at(-1) ?? '', reply, progress, chunks, events, firstTokenMs, doneMs: performance.now() - began };
    replyLog.push({ text, locale: opts.locale, turn });
    return turn;
  }

  /** Sends one message without streaming: 202 and the execution id. */
  async send(conversationId: string, text: string, opts: SayOptions = {}): Promise<string> {
    const res = await this.request('POST', `/v1/conversations/${conversationId}/messages`, { text, timezone: opts.timezone ?? 'Europe/Madrid', ...(opts.locale ? { locale: opts.locale } : {}) });
    if (res.status !== 202) throw new Error(`POST messages: ${res.status} ${JSON.stringify(res.body)}`);
    return String(res.body['executionId']);
  }

  async execution(id: string): Promise<Execution> {
    const res = await this.request('GET', `/v1/executions/${id}`);
    if (res.status !== 200) throw new Error(`GET /v1/executions/${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as unknown as Execution;
  }

  /** Polls an execution until it settles (DONE, FAILED, CANCELLED or WAITING_INPUT). */
  async settled(id: string, timeoutMs = 30_000): Promise<Execution> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.execution(id);
      if (['DONE', 'FAILED', 'CANCELLED', 'WAITING_INPUT'].includes(e.state)) return e;
      if (Date.now() > until) throw new Error(`execution ${id} still ${e.state} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function parseBlock(block: string): StreamEvent | undefined {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
  }
  if (fields['data'] === undefined) return undefined;
  return { id: fields['id'], event: fields['event'] ?? 'message', data: JSON.parse(fields['data']) as Record<string, unknown> };
}

/** The output of one node of an execution, or undefined when it did not run. */
export function nodeOutput(e: Execution, nodeId: string): Record<string, unknown> | undefined {
  return e.nodes.find((n) => n.nodeId === nodeId && n.state === 'succeeded')?.output ?? undefined;
}

/**
 * The instant of a wall-clock time `days` after today in `timezone` (days counted on that zone's
 * calendar), e.g. "mañana a las 10" in Europe/Madrid → zonedInstant('Europe/Madrid', 1, 10).
 */
export function zonedInstant(timezone: string, days: number, hour: number, minute = 0, now = new Date()): Date {
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d + days, hour, minute);
  // The zone's offset at that wall time: guess with UTC, correct once (enough away from a DST switch hour).
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMs(timezone, new Date(guess));
  return new Date(guess);
}

function offsetMs(timezone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Days from today (in `timezone`) to the next `weekday` (0 Sunday … 6 Saturday); 0 when today is that day. */
export function daysUntil(timezone: string, weekday: number, now = new Date()): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short' }).format(now);
  const today = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(name);
  return (weekday - today + 7) % 7;
}
