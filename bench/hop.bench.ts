// Benchmark: one protobuf request/reply through libs/messaging (Nest server + ProtoClient)
// against the same payload through bare nats.js request/reply, in one run on one nats-server.
// Run: npm run bench:hop   (writes bench/results/hop-latest.json and appends to bench/results/hop.md)
import 'reflect-metadata';
import { create, toBinary } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IntakeInputSchema, IntakeOutputSchema, InvokeRequestSchema, InvokeResponseSchema, type InvokeRequest } from '@spine/contracts';
import { NatsProtoServer, ProtoClient, ProtoPipe } from '@spine/messaging';
import { SpineExceptionFilter } from '@spine/observability';
import { startNats } from '@spine/testing';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const ROUNDS = 4;
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 5_000);
const WARMUP = 2_000;
const CONCURRENCY = 64;
const CONCURRENT_TOTAL = 20_000;

const request = create(InvokeRequestSchema, {
  executionId: '0b7f3c1e-6a2d-4a51-9d0e-4f8f5b2c9a11',
  nodeId: 'intake',
  attempt: 1,
  tenantId: 'acme',
  input: anyPack(IntakeInputSchema, create(IntakeInputSchema, { text: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', userId: 'u-42', roles: ['client'], sessionId: 's-1' })),
});
const response = create(InvokeResponseSchema, {
  output: anyPack(IntakeOutputSchema, create(IntakeOutputSchema, { text: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', language: 'es', tenantId: 'acme', userId: 'u-42', roles: ['client'] })),
});
const requestBytes = toBinary(InvokeRequestSchema, request);
const responseBytes = toBinary(InvokeResponseSchema, response);

@Controller()
class HopHandler {
  @MessagePattern('spine.bench.hop')
  hop(@Payload(new ProtoPipe(InvokeRequestSchema)) req: InvokeRequest) {
    return create(InvokeResponseSchema, { output: response.output, usage: { model: req.nodeId } });
  }
}

@Module({ controllers: [HopHandler] })
class HopModule {}

type Call = () => Promise<unknown>;

async function sequential(call: Call, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await call();
    into.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}

async function concurrent(call: Call, total: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < total) await call();
  }));
  return total / ((performance.now() - started) / 1000);
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), mean, reqPerSecSequential: 1000 / mean };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const nats = await startNats();
  const app = await NestFactory.createMicroservice(HopModule, { strategy: new NatsProtoServer({ servers: nats.url, name: 'bench', queue: 'bench' }), logger: false });
  app.useGlobalFilters(new SpineExceptionFilter());
  await app.listen();
  const nc: NatsConnection = await connect({ servers: nats.url });
  const responder: NatsConnection = await connect({ servers: nats.url });
  responder.subscribe('spine.bench.bare', { queue: 'bench', callback: (_err, msg) => {
    msg.respond(responseBytes);
  } });
  await responder.flush();
  const client = new ProtoClient(nc, 5_000);

  const spine: Call = () => client.request('spine.bench.hop', InvokeRequestSchema, request, InvokeResponseSchema);
  const bare: Call = () => nc.request('spine.bench.bare', requestBytes, { timeout: 5_000 });

  await sequential(bare, WARMUP, []);
  await sequential(spine, WARMUP, []);
  const samples = { bare: [] as number[], spine: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    await sequential(bare, PER_ROUND, samples.bare);
    await sequential(spine, PER_ROUND, samples.spine);
  }
  const throughput = { bare: await concurrent(bare, CONCURRENT_TOTAL), spine: await concurrent(spine, CONCURRENT_TOTAL) };

  const result = {
    benchmark: 'hop',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    payloadBytes: { request: requestBytes.length, response: responseBytes.length },
    bare: { ...mapStats(stats(samples.bare)), reqPerSecConcurrent: Math.round(throughput.bare) },
    spine: { ...mapStats(stats(samples.spine)), reqPerSecConcurrent: Math.round(throughput.spine) },
    ratioP50: 0,
    target: 'ratio p50 <= 1.5',
  };
  result.ratioP50 = round3(result.spine.p50Ms / result.bare.p50Ms);

  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(table(result));
  const dir = join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'hop-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  await appendFile(join(dir, 'hop.md'), row(result));

  await nc.close();
  await responder.close();
  await app.close();
  await nats.stop();
  if (result.ratioP50 > 1.5) process.exitCode = 1;
}

function mapStats(s: ReturnType<typeof stats>) {
  return { n: s.n, p50Ms: round3(s.p50), p90Ms: round3(s.p90), p99Ms: round3(s.p99), meanMs: round3(s.mean), reqPerSecSequential: Math.round(s.reqPerSecSequential) };
}

type Result = { at: string; bare: ReturnType<typeof mapStats> & { reqPerSecConcurrent: number }; spine: ReturnType<typeof mapStats> & { reqPerSecConcurrent: number }; ratioP50: number; machine: { node: string } };

function table(r: Result): string {
  const line = (name: string, s: Result['bare']) =>
    `${name.padEnd(22)} p50 ${s.p50Ms.toFixed(3)} ms  p99 ${s.p99Ms.toFixed(3)} ms  ${String(s.reqPerSecSequential).padStart(6)} req/s sequential  ${String(s.reqPerSecConcurrent).padStart(6)} req/s at ${CONCURRENCY} in flight\n`;
  return `\n${line('bare nats.js', r.bare)}${line('libs/messaging (Nest)', r.spine)}ratio p50: ${r.ratioP50} (target <= 1.5)\n`;
}

function row(r: Result): string {
  return `| ${r.at} | ${r.machine.node} | ${r.bare.p50Ms} | ${r.bare.p99Ms} | ${r.bare.reqPerSecConcurrent} | ${r.spine.p50Ms} | ${r.spine.p99Ms} | ${r.spine.reqPerSecConcurrent} | ${r.ratioP50} |\n`;
}

await main();
