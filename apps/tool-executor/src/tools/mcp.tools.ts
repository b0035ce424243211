import type { JsonObject } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { McpToolsClient, type McpEndpoint } from '@spine/remote-agents';
import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { z } from 'zod';
import type { Outcome } from './outcome.js';

/** Where the orchestrator puts the tenant's MCP servers in each invocation's context. */
const CONTEXT_KEY = 'mcpServers';
/** A call's time when the orchestrator set no deadline. */
const DEFAULT_TIMEOUT_MS = 30_000;
const BREAKER_FAILURES = 3;
const BREAKER_COOLDOWN_MS = 10_000;

const serversSchema = z.record(
  z.string(),
  z.object({
    url: z.url(),
    headers: z.record(z.string(), z.string()).default({}),
    tools: z.array(z.object({ name: z.string(), readOnly: z.boolean().default(false) })).default([]),
  }),
);

export interface McpTarget {
  /** `server.tool`, as the flow wrote it. */
  name: string;
  server: string;
  tool: string;
  endpoint: McpEndpoint;
  readOnly: boolean;
}

/** A failure that says the server is in trouble, not that the call was bad: it counts toward the breaker. */
const serverFault = (err: unknown) => err instanceof SpineError && (err.code === ErrorCode.AGENT_UNAVAILABLE || err.code === ErrorCode.TIMEOUT);

/**
 * Calls tools of a tenant's MCP servers (`server.tool`). The orchestrator sends the servers the tenant registered
 * (another tenant's are never in the context, so they are unknown here). One breaker per tenant and server: after
 * repeated faults a call fails at once with AGENT_UNAVAILABLE instead of waiting on a dead server.
 */
@Injectable()
export class McpTools {
  private readonly client = new McpToolsClient();
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  /** The call's target, or undefined when `name` names no tool of the tenant's servers. */
  resolve(name: string, context: JsonObject): McpTarget | undefined {
    const dot = name.indexOf('.');
    if (dot <= 0) return undefined;
    const parsed = serversSchema.safeParse(context[CONTEXT_KEY] ?? {});
    if (!parsed.success) return undefined;
    const server = name.slice(0, dot);
    const tool = name.slice(dot + 1);
    const entry = parsed.data[server];
    const spec = entry?.tools.find((t) => t.name === tool);
    if (!entry || !spec) return undefined;
    return { name, server, tool, endpoint: { url: entry.url, headers: entry.headers }, readOnly: spec.readOnly };
  }

  async call(tenantId: string, target: McpTarget, args: Record<string, unknown>, o: { key: string; deadline: number | undefined; signal: AbortSignal; now: number }): Promise<Outcome> {
    const timeoutMs = o.deadline ? Math.max(1, o.deadline - o.now) : DEFAULT_TIMEOUT_MS;
    try {
      const result = await this.breakerOf(`${tenantId}/${target.server}`).execute(() =>
        this.client.callTool(target.endpoint, target.tool, args, { signal: o.signal, timeoutMs, idempotencyKey: o.key }),
      );
      if (result.isError) return { ok: false, error: { code: 'FAILED_PRECONDITION', message: result.text || `${target.name} failed`, suggestion: '', field: '' } };
      return { ok: true, result: (result.structured ?? { text: result.text }) as JsonObject };
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `MCP server '${target.server}' is failing: circuit open after repeated failures`, { server: target.server, reason: 'circuit_open' }, false);
      }
      if (err instanceof SpineError) throw new SpineError(err.code, `${target.name}: ${err.message}`, { ...err.details, server: target.server }, err.retryable);
      throw err;
    }
  }

  private breakerOf(key: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(serverFault), { halfOpenAfter: BREAKER_COOLDOWN_MS, breaker: new ConsecutiveBreaker(BREAKER_FAILURES) });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}
