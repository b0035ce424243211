// A third-party A2A agent written with @a2a-js/sdk (its express server pieces), run as its own process by
// tests/a2a.e2e.test.ts. Env: PORT. Prints "READY <port>".
// Skill `convert`: a data part { amount, from?, to? } → a task whose artifact is { converted, currency, rate }.
// An amount below zero fails the task; a text-only message is answered with a plain text message.
// With `waitMs`, the task stays working that long first (it prints "WORKING <task id>" once it waits);
// `CancelTask` ends it at once and prints "CANCELLED <task id>".
import { Role, TaskState, type AgentCard, type Message } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import type { Server } from 'node:http';

// The repo has no @types/express (Nest's adapter owns express); the two calls used here are typed locally.
type ExpressApp = { use(path: string, handler: unknown): void; listen(port: number, host: string, ready: () => void): Server };
const { default: express } = (await import('express' as string)) as { default: () => ExpressApp };

const RATES: Record<string, number> = { EUR: 0.5, USD: 1, MXN: 20 };
const port = Number(process.env['PORT'] ?? 0);
const base = `http://127.0.0.1:${port}`;

const card: AgentCard = {
  name: 'FX Converter',
  description: 'Converts amounts between currencies',
  supportedInterfaces: [{ url: `${base}/rpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' }],
  provider: { organization: 'Third Party Inc.', url: base },
  version: '1.2',
  capabilities: { streaming: false, pushNotifications: false, extensions: [] },
  securitySchemes: {},
  securityRequirements: [],
  defaultInputModes: ['application/json', 'text/plain'],
  defaultOutputModes: ['application/json'],
  skills: [
    { id: 'convert', name: 'Convert', description: 'Converts an amount', tags: ['fx'], examples: [], inputModes: [], outputModes: [], securityRequirements: [] },
    { id: 'Rates Today', name: 'Rates', description: 'Today\'s rates', tags: [], examples: [], inputModes: [], outputModes: [], securityRequirements: [] },
  ],
  signatures: [],
};

const reply = (text: string, ctx: { taskId: string; contextId: string }): Message => ({
  messageId: crypto.randomUUID(), contextId: ctx.contextId, taskId: '', role: Role.ROLE_AGENT,
  parts: [{ content: { $case: 'text', value: text }, mediaType: 'text/plain', filename: '', metadata: undefined }], metadata: undefined, extensions: [], referenceTaskIds: [],
});

/** Tasks waiting out their `waitMs`, by id: CancelTask wakes them. */
const waiting = new Map<string, { contextId: string; wake: () => void }>();

const executor: AgentExecutor = {
  async execute(ctx, bus) {
    const parts = ctx.userMessage.parts;
    const data = parts.map((p) => (p.content?.$case === 'data' ? (p.content.value as Record<string, unknown>) : undefined)).find((v) => v !== undefined);
    if (!data) {
      bus.publish(AgentEvent.message(reply('send me { amount, from, to }', ctx)));
      return;
    }
    const { taskId, contextId } = ctx;
    const status = (state: TaskState, message?: Message) => ({ state, message, timestamp: new Date().toISOString() });
    bus.publish(AgentEvent.task({ id: taskId, contextId, status: status(TaskState.TASK_STATE_WORKING), artifacts: [], history: [ctx.userMessage], metadata: undefined }));
    const waitMs = Number(data['waitMs'] ?? 0);
    if (waitMs > 0) {
      const cancelled = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), waitMs);
        waiting.set(taskId, {
          contextId,
          wake: () => {
            clearTimeout(timer);
            resolve(true);
          },
        });
        process.stdout.write(`WORKING ${taskId}\n`);
      });
      waiting.delete(taskId);
      if (cancelled) return;
    }
    const amount = Number(data['amount']);
    if (!(amount >= 0)) {
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_FAILED, reply(`cannot convert ${String(data['amount'])}`, ctx)), metadata: undefined }));
      return;
    }
    const to = String(data['to'] ?? 'EUR');
    const rate = (RATES[to] ?? 1) / (RATES[String(data['from'] ?? 'USD')] ?? 1);
    const result = { converted: amount * rate, currency: to, rate };
    bus.publish(AgentEvent.artifactUpdate({
      taskId, contextId, append: false, lastChunk: true, metadata: undefined,
      artifact: { artifactId: 'fx', name: 'conversion', description: '', parts: [{ content: { $case: 'data', value: result }, mediaType: 'application/json', filename: '', metadata: undefined }], metadata: undefined, extensions: [] },
    }));
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(TaskState.TASK_STATE_COMPLETED), metadata: undefined }));
  },
  async cancelTask(taskId, bus) {
    const task = waiting.get(taskId);
    if (!task) return;
    process.stdout.write(`CANCELLED ${taskId}\n`);
    task.wake();
    const { contextId } = task;
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: new Date().toISOString() }, metadata: undefined }));
  },
};

const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
const app = express();
app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
app.use('/rpc', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
const server = app.listen(port, '127.0.0.1', () => process.stdout.write(`READY ${port}\n`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
