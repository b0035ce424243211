import { apiError, CliError } from './errors.js';

export interface Connection {
  url: string;
  key: string | undefined;
  /** Where url and key came from: a profile's name, or `environment` / `flags`. */
  source: string;
}

export interface RequestOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as it is, with `contentType` (YAML text, a PDF's bytes). */
  text?: string | Uint8Array;
  contentType?: string;
  /** Sent as multipart/form-data (fetch writes the boundary): a file upload with its fields. */
  form?: FormData;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export const USER_AGENT = 'spine-cli/0.1.0';

/** The public REST API over fetch: one key, JSON in and out, errors as CliError with the API's code and a hint. */
export class ApiClient {
  constructor(
    readonly connection: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get baseUrl(): string {
    return this.connection.url.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    const text = await res.text();
    const body: unknown = text ? parseJson(text) : undefined;
    if (!res.ok) throw apiError({ status: res.status, method, path, body, retryAfter: res.headers.get('retry-after') });
    return body as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, json: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, { json });
  }

  /** The raw response of a successful call (an event stream); a failed one throws like request(). */
  async open(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const res = await this.send(method, path, { ...options, headers: { accept: 'text/event-stream', ...options.headers } });
    if (res.ok) return res;
    const text = await res.text();
    throw apiError({ status: res.status, method, path, body: text ? parseJson(text) : undefined, retryAfter: res.headers.get('retry-after') });
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json', ...options.headers };
    if (this.connection.key) headers['authorization'] = `Bearer ${this.connection.key}`;
    let body: string | Uint8Array | FormData | undefined;
    if (options.form !== undefined) {
      body = options.form;
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers['content-type'] = options.contentType ?? 'text/plain';
      body = options.text;
    }
    try {
      return await this.fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body }), ...(options.signal ? { signal: options.signal } : {}) });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw unreachable(this.baseUrl, err);
    }
  }
}

export function unreachable(url: string, err: unknown): CliError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return new CliError(`cannot reach ${url} (${why})`, { code: 'UNREACHABLE', hint: 'is Spine running there? check spine login --url or SPINE_URL' });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}
