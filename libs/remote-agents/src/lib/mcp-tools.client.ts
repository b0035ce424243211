import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, SpineError } from '@spine/contracts';
import { Agent, fetch as undiciFetch } from 'undici';
import type { EndpointPolicy } from './endpoint-policy.js';

const CLIENT_INFO = { name: 'spine', version: '0.1.0' };

/** Where an MCP server answers (Streamable HTTP) and the headers every request carries (its credentials). */
export interface McpEndpoint {
  url: string;
  headers: Record<string, string>;
}

export interface McpCallOptions {
  /** Ends the call: the node's deadline or its cancellation. */
  signal?: AbortSignal;
  timeoutMs: number;
  /** Re-checks every address at connect time (no DNS rebinding); absent: the caller checked the endpoint. */
  policy?: EndpointPolicy;
  /** Sent as `Idempotency-Key` and in the call's `_meta`, so a server may drop a repeated call. */
  idempotencyKey?: string;
}

export interface McpListedTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  readOnly: boolean;
}

export interface McpCallResult {
  isError: boolean;
  /** The tool's structured content, else its text content joined. */
  structured: Record<string, unknown> | undefined;
  text: string;
}

/**
 * One short-lived MCP client per request (stateless: no session outlives the call), through Streamable HTTP.
 * A server that cannot be reached is AGENT_UNAVAILABLE (retryable); one that does not answer in time is TIMEOUT.
 */
export class McpToolsClient {
  async listTools(endpoint: McpEndpoint, options: McpCallOptions): Promise<McpListedTool[]> {
    return this.session(endpoint, options, async (client, request) => {
      const { tools } = await client.listTools(undefined, request);
      return tools.map((t) => ({
        name: t.name,
        description: t.description ?? t.title ?? '',
        inputSchema: t.inputSchema as Record<string, unknown>,
        readOnly: t.annotations?.readOnlyHint === true,
      }));
    });
  }

  async callTool(endpoint: McpEndpoint, tool: string, args: Record<string, unknown>, options: McpCallOptions): Promise<McpCallResult> {
    return this.session(endpoint, options, async (client, request) => {
      const meta = options.idempotencyKey ? { _meta: { idempotencyKey: options.idempotencyKey } } : {};
      const result = await client.callTool({ name: tool, arguments: args, ...meta }, undefined, request);
      const content = Array.isArray(result['content']) ? (result['content'] as { type: string; text?: string }[]) : [];
      const text = content.filter((c) => c.type === 'text' && typeof c.text === 'string').map((c) => c.text).join('\n');
      const structured = result['structuredContent'] as Record<string, unknown> | undefined;
      return { isError: result['isError'] === true, structured, text };
    });
  }

  private async session<T>(endpoint: McpEndpoint, options: McpCallOptions, use: (client: Client, request: { signal: AbortSignal; timeout: number }) => Promise<T>): Promise<T> {
    const url = new URL(endpoint.url);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const dispatcher = options.policy ? new Agent({ connect: { lookup: options.policy.lookupFor(Number(url.port || (url.protocol === 'https:' ? 443 : 80))) } }) : undefined;
    const headers = { ...endpoint.headers, ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) };
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers },
      // undici's fetch, so the connection goes through the policy's lookup.
      fetch: ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), ...(dispatcher ? { dispatcher } : {}) })) as unknown as typeof fetch,
      reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1, maxReconnectionDelay: 1, reconnectionDelayGrowFactor: 1 },
    });
    const client = new Client(CLIENT_INFO);
    try {
      const request = { signal, timeout: options.timeoutMs };
      await client.connect(transport, request);
      return await use(client, request);
    } catch (err) {
      throw mcpError(err, endpoint, options, timeout);
    } finally {
      await client.close().catch(() => undefined); // closing a session that never opened has nothing to report
      await dispatcher?.close();
    }
  }
}

function mcpError(err: unknown, endpoint: McpEndpoint, options: McpCallOptions, timeout: AbortSignal): SpineError {
  if (err instanceof SpineError) return err;
  const host = new URL(endpoint.url).host;
  if (options.signal?.aborted && !timeout.aborted) return new SpineError(ErrorCode.CANCELLED, 'MCP call cancelled', { server: host }, false);
  if (timeout.aborted) return new SpineError(ErrorCode.TIMEOUT, `MCP server ${host} did not answer within ${options.timeoutMs}ms`, { server: host }, true);
  // The server answered and refused: retrying the same credentials will not help.
  if (err instanceof StreamableHTTPError && (err.code === 401 || err.code === 403)) {
    return new SpineError(ErrorCode.INVALID_ARGUMENT, `MCP server ${host} refused the credentials (${err.code}): check the server's secret and headers`, { server: host, field: 'secret' }, false);
  }
  const e = err as { code?: unknown; cause?: { code?: unknown; cause?: { code?: unknown } }; message?: unknown };
  // A policy refusal at connect time surfaces as the fetch's cause.
  if (e.cause instanceof SpineError) return e.cause;
  const cause = String(e.cause?.code ?? e.cause?.cause?.code ?? e.code ?? e.message ?? 'unknown');
  return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `MCP server ${host} unreachable: ${cause}`, { server: host, cause }, true);
}
