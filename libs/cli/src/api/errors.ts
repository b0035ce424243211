/** Exit codes: 0 ok (an execution DONE), 1 an error or an execution FAILED, 2 bad usage, 3 CANCELLED, 4 WAITING_INPUT. */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 3, waitingInput: 4 } as const;

export interface CliErrorOptions {
  /** The API's error code (`UNAUTHENTICATED`, `NOT_FOUND`, …) or the CLI's own (`UNREACHABLE`, `BAD_INPUT`, …). */
  code?: string;
  /** What to do about it, one line. */
  hint?: string;
  /** The API's `details` (issues by path, fields at fault). */
  details?: Record<string, unknown>;
  status?: number;
  exitCode?: number;
}

/** An error the CLI reports as `error CODE: message` plus its hint, and exits with `exitCode`. */
export class CliError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly status: number | undefined;
  readonly exitCode: number;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message);
    this.name = 'CliError';
    this.code = options.code ?? 'ERROR';
    this.hint = options.hint;
    this.details = options.details;
    this.status = options.status;
    this.exitCode = options.exitCode ?? EXIT.failed;
  }

  toJson(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message, ...(this.status ? { status: this.status } : {}), ...(this.details ? { details: this.details } : {}), ...(this.hint ? { hint: this.hint } : {}) } };
  }
}

export interface ApiFailure {
  status: number;
  method: string;
  path: string;
  body: unknown;
  retryAfter: string | null;
}

/** Nest answers a path no controller serves with `Cannot GET /v1/…`: the server predates this API. */
const NO_ROUTE = /^Cannot (GET|POST|PUT|PATCH|DELETE) /;

/** The API's `{ code, message, details? }` as a CliError with a hint for what to do next. */
export function apiError(f: ApiFailure): CliError {
  const body = (typeof f.body === 'object' && f.body !== null ? f.body : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const code = typeof body.code === 'string' ? body.code : `HTTP_${f.status}`;
  const message = typeof body.message === 'string' ? body.message : `${f.method} ${f.path} answered ${f.status}`;
  const details = typeof body.details === 'object' && body.details !== null ? (body.details as Record<string, unknown>) : undefined;
  if (f.status === 404 && NO_ROUTE.test(message)) {
    return new CliError(`this Spine server has no ${f.method} ${f.path.split('?')[0]}`, { code: 'NOT_SUPPORTED', status: 404, hint: 'the server is older than this CLI: the API comes with a later Spine version' });
  }
  return new CliError(message, { code, status: f.status, ...(details ? { details } : {}), hint: hintFor(f.status, code, f.retryAfter) });
}

function hintFor(status: number, code: string, retryAfter: string | null): string | undefined {
  if (status === 401) return 'run spine login --url <url> --key <key> (or set SPINE_API_KEY): the key is missing, wrong or revoked';
  if (status === 403) return 'this key\'s role may not do this (spine whoami shows it): use a key with the role the call needs, e.g. admin';
  if (status === 404) return 'check the name or id (the list commands show what exists); another tenant\'s things answer 404 too';
  if (status === 409) return 'it exists already: pick another name, or replace it';
  if (status === 413) return 'the body is over the server\'s MAX_BODY_BYTES';
  if (status === 429) return retryAfter ? `rate limited: try again in ${retryAfter} s` : 'rate limited: try again shortly';
  if (code === 'AGENT_UNAVAILABLE') return 'an agent it needs is not healthy: spine agents list';
  if (status >= 500) return 'the server failed: try again; if it persists, look at the orchestrator\'s log';
  return undefined;
}
