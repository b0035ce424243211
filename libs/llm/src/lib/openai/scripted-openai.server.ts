import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a status with a JSON body, or a stream of SSE chunks. */
export type ScriptedReply = { status: number; body: unknown; headers?: Record<string, string> } | { sse: readonly unknown[] } | { hang: true };

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

/**
 * An OpenAI-compatible HTTP server for tests: answers each request to a path with the next reply
 * scripted for it (on 127.0.0.1, a free port) and records what it was sent.
 */
export class ScriptedOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script = new Map<string, ScriptedReply[]>();
  private server: Server | undefined;
  private port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  reply(path: '/v1/chat/completions' | '/v1/embeddings', ...replies: ScriptedReply[]): this {
    this.script.set(path, [...(this.script.get(path) ?? []), ...replies]);
    return this;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const text = Buffer.concat(chunks).toString('utf8');
    this.requests.push({ path, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, authorization: req.headers.authorization });
    const next = this.script.get(path)?.shift();
    if (!next) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `nothing scripted for ${path}` } }));
      return;
    }
    if ('hang' in next) return;
    if ('sse' in next) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of next.sse) res.write(`data: ${JSON.stringify(event)}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(JSON.stringify(next.body));
  }
}

/** A chat.completion.chunk as OpenAI streams it. */
export function chunk(delta: Record<string, unknown>, extra: { finish?: string; usage?: Record<string, number> } = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-test',
    choices: extra.usage ? [] : [{ index: 0, delta, finish_reason: extra.finish ?? null }],
    ...(extra.usage ? { usage: extra.usage } : {}),
  };
}

export function completion(message: Record<string, unknown>, finish = 'stop'): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-test',
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}
