import { fromJson, toBinary, toJson, type JsonObject, type JsonValue } from '@bufbuild/protobuf';
import { StructSchema, type Struct } from '@bufbuild/protobuf/wkt';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Module } from '@nestjs/common';
import { bootstrapAgent, defineAgent, type AgentHandler, type InvokeContext } from '@spine/agent-kit';
import { ErrorCode, errorCodeOf, SpineError, StreamChunkSchema, streams, subjects } from '@spine/contracts';
import { ensureStream, NATS_CONNECTION, publishOnce } from '@spine/messaging';
import { Counter, Registry } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A scriptable agent for the orchestrator's end-to-end tests and benchmarks, built on agent-kit like the real ones.
 * It answers `{ agent, node, input, startedAt, finishedAt }` merged with the first rule whose `match` holds
 * (substring match on dotted paths of `{ input, context }`), and obeys directives in its input:
 *   _delayMs: wait first (honours the deadline and a cancel: the run then ends with the signal's reason, counted in
 *   spine_test_agent_aborted_total); _failTimes + _failCode: fail the first N attempts of a node;
 *   _tokens: report that many tokens of usage; _chunks (+ _chunkDelayMs): publish that many reply tokens to the
 *   execution's JetStream reply stream, as the streamer does.
 * Env: TEST_AGENT_NAME, TEST_AGENT_RULES (JSON [{ match: { path: text }, output: {...} }]), TEST_AGENT_SCHEMAS
 * (JSON { input, output } JSON Schemas), TEST_AGENT_CAPABILITIES (comma list), and agent-kit's usual settings.
 */
interface Rule {
  match: Record<string, string>;
  output: JsonObject;
}

const name = process.env['TEST_AGENT_NAME'] ?? 'test-agent';
const rules = JSON.parse(process.env['TEST_AGENT_RULES'] ?? '[]') as Rule[];
const schemas = JSON.parse(process.env['TEST_AGENT_SCHEMAS'] ?? '{}') as { input?: Record<string, unknown>; output?: Record<string, unknown> };

const agent = defineAgent({
  name,
  version: '0.0.1',
  description: 'scriptable test double',
  capabilities: (process.env['TEST_AGENT_CAPABILITIES'] ?? '').split(',').filter(Boolean),
  input: StructSchema,
  output: StructSchema,
  ...(schemas.input ? { inputSchema: schemas.input } : {}),
  ...(schemas.output ? { outputSchema: schemas.output } : {}),
});

function at(value: JsonValue | undefined, path: string): JsonValue | undefined {
  return path.split('.').reduce<JsonValue | undefined>((v, key) => (v && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined), value);
}

@Injectable()
class TestAgentHandler implements AgentHandler<typeof StructSchema, typeof StructSchema> {
  private readonly failures = new Map<string, number>();
  private readonly runs: Counter<'node'>;
  private readonly aborted: Counter<'node'>;

  constructor(
    registry: Registry,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {
    this.runs = new Counter({ name: 'spine_test_agent_runs_total', help: 'Handler runs by node', labelNames: ['node'], registers: [registry] });
    this.aborted = new Counter({ name: 'spine_test_agent_aborted_total', help: 'Handler runs stopped by their signal (deadline or cancel), by node', labelNames: ['node'], registers: [registry] });
  }

  async handle(message: Struct, ctx: InvokeContext): Promise<Struct> {
    return fromJson(StructSchema, await this.answer(toJson(StructSchema, message) as JsonObject, ctx));
  }

  private async answer(input: JsonObject, ctx: InvokeContext): Promise<JsonObject> {
    const startedAt = Date.now();
    this.runs.inc({ node: ctx.nodeId });
    const delay = Number(input['_delayMs'] ?? 0);
    if (delay > 0) {
      const stopped = await sleep(delay, undefined, { signal: ctx.signal }).then(() => false, () => true);
      if (stopped) {
        this.aborted.inc({ node: ctx.nodeId });
        throw ctx.signal.reason;
      }
    }
    // Reported before a scripted failure too: a failed attempt's tokens count against the flow's budget.
    const tokens = Number(input['_tokens'] ?? 0);
    if (tokens > 0) ctx.reportUsage({ promptTokens: tokens, completionTokens: 0, totalTokens: tokens, model: ctx.model || 'test' });
    const key = `${ctx.executionId}:${ctx.nodeId}`;
    const failed = this.failures.get(key) ?? 0;
    if (failed < Number(input['_failTimes'] ?? 0)) {
      this.failures.set(key, failed + 1);
      const code = errorCodeOf(String(input['_failCode'] ?? 'AGENT_UNAVAILABLE')) ?? ErrorCode.AGENT_UNAVAILABLE;
      throw new SpineError(code, `scripted failure ${failed + 1} of ${ctx.nodeId}`);
    }
    const chunks = Number(input['_chunks'] ?? 0);
    if (chunks > 0) await publishChunksOf(this.nc, ctx, chunks, Number(input['_chunkDelayMs'] ?? 0));
    const request: JsonValue = { input, context: ctx.context };
    const rule = rules.find((r) => Object.entries(r.match).every(([path, text]) => JSON.stringify(at(request, path) ?? '').includes(text)));
    return { agent: name, node: ctx.nodeId, attempt: ctx.attempt, input, startedAt, finishedAt: Date.now(), ...(rule?.output ?? {}) };
  }
}

/** Reply tokens `t1 … tN` on spine.stream.<tenant>.<execution>, numbered from 1, the last one final. */
async function publishChunksOf(nc: NatsConnection, ctx: InvokeContext, count: number, delayMs: number): Promise<void> {
  await ensureStream(await jetstreamManager(nc), streams.executionStreams);
  for (let seq = 1; seq <= count; seq++) {
    if (delayMs > 0) await sleep(delayMs);
    const chunk = fromJson(StreamChunkSchema, { executionId: ctx.executionId, tenantId: ctx.tenantId, sequence: String(seq), kind: 'CHUNK_KIND_TOKEN', text: `t${seq} `, final: seq === count });
    await publishOnce(nc, subjects.executionStream(ctx.tenantId, ctx.executionId), toBinary(StreamChunkSchema, chunk), `${ctx.executionId}:${ctx.nodeId}:${seq}`);
  }
}

@Module({ providers: [TestAgentHandler], exports: [TestAgentHandler] })
class TestAgentModule {}

await bootstrapAgent({ agent, module: TestAgentModule, handler: TestAgentHandler });
