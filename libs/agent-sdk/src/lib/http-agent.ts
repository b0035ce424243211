import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, SpineError } from '@spine/contracts';
import { isJsonObject, parseInput, type AgentHandler, type InputParser } from './handler.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './http-body.js';
import { handlerError, sendError, sendJson } from './http-errors.js';
import { DEFAULT_SHUTDOWN_GRACE_MS, exitOnSignals, type AgentServer, type LifecycleOptions } from './shutdown.js';
import { SIGNATURE_HEADER, verify } from './signature.js';

export interface HttpAgentOptions<I, O> extends LifecycleOptions {
  name: string;
  handler: AgentHandler<I, O>;
  /** The secret Spine issued at registration; an array while rotating. */
  secret: string | readonly string[];
  port?: number;
  host?: string;
  /** Narrows `input` before the handler runs; a throw answers 400 INVALID_ARGUMENT. */
  input?: InputParser<I>;
  maxBodyBytes?: number;
}

/** An HTTP agent: `POST /process` (signed, seed 001 body) and `GET /health`. */
export function httpAgent<I = unknown, O = unknown>(options: HttpAgentOptions<I, O>): AgentServer {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let draining = false;
  let inFlight = 0;
  let uninstallSignals = (): void => undefined;

  async function serveProcess(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, maxBody);
    const check = verify(options.secret, raw, req.headers[SIGNATURE_HEADER] as string | undefined);
    if (!check.ok) throw new SpineError(ErrorCode.UNAUTHENTICATED, `bad request signature: ${check.reason}`, { reason: check.reason });
    const body = parseBody(raw);
    const input = parseInput(options.input, body['input']);
    const aborted = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort(new SpineError(ErrorCode.CANCELLED, 'caller went away'));
    });
    const result = await options.handler({
      input,
      context: isJsonObject(body['context']) ? body['context'] : {},
      config: isJsonObject(body['config']) ? body['config'] : {},
      signal: aborted.signal,
      emit: () => undefined,
    });
    sendJson(res, 200, result.usage ? { output: result.output ?? null, usage: result.usage } : { output: result.output ?? null });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health' && req.method === 'GET') {
      return sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok', name: options.name });
    }
    if (path !== '/process') return sendError(res, SpineError.notFound(`no route ${req.method} ${path}`));
    if (req.method !== 'POST') return sendError(res, SpineError.invalid('use POST /process'));
    if (draining) {
      res.setHeader('connection', 'close');
      return sendError(res, new SpineError(ErrorCode.AGENT_UNAVAILABLE, 'agent is shutting down'));
    }
    inFlight += 1;
    try {
      await serveProcess(req, res);
    } catch (err) {
      if (err instanceof SpineError && err.code === ErrorCode.PAYLOAD_TOO_LARGE) res.setHeader('connection', 'close');
      if (!res.headersSent) sendError(res, handlerError(err));
    } finally {
      inFlight -= 1;
    }
  }

  const server = createServer((req, res) => void route(req, res));

  async function close(): Promise<void> {
    if (draining) return;
    draining = true;
    uninstallSignals();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = Date.now() + (options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    server.closeAllConnections();
    await closed;
  }

  return {
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 8080, options.host ?? '0.0.0.0', () => {
          if (options.handleSignals !== false) uninstallSignals = exitOnSignals(close);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close,
  };
}

function parseBody(raw: Buffer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw SpineError.invalid('request body is not valid JSON', { field: 'body' });
  }
  if (!isJsonObject(body)) throw SpineError.invalid('request body must be a JSON object', { field: 'body' });
  if (!('input' in body)) throw SpineError.invalid('request body has no input', { field: 'input' });
  return body;
}
