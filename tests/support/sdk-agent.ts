// A third-party agent written with @spine/agent-sdk, run as its own process by tests/third-party-agents.e2e.test.ts.
// Env: TRANSPORT=http|grpc, PORT, SECRET (the secret issued at registration; both transports check signatures). Prints "READY <port>".
// `input.mode` picks the behaviour: echo (default), slow (prints "ABORTED <transport> <text>" when stopped early), bad-output, flaky (fails `failTimes` times per `key`, then echoes).
// eslint-disable-next-line @nx/enforce-module-boundaries -- a third-party agent imports the SDK as a third party would
import { grpcAgent, httpAgent, type AgentHandler } from '@spine/agent-sdk';
import { setTimeout as sleep } from 'node:timers/promises';

interface Input {
  mode?: 'echo' | 'slow' | 'bad-output' | 'flaky';
  text?: string;
  ms?: number;
  key?: string;
  failTimes?: number;
}

const failures = new Map<string, number>();

const handler: AgentHandler<Input> = async ({ input, config, signal }) => {
  switch (input?.mode ?? 'echo') {
    case 'slow':
      // A stop (deadline, cancel, caller gone) is printed, for tests/third-party-agents.e2e.test.ts to read.
      await sleep(input.ms ?? 5_000, undefined, { signal }).catch(() => process.stdout.write(`ABORTED ${process.env['TRANSPORT'] ?? 'http'} ${input.text ?? ''}\n`));
      return { output: { echo: 'slept' } };
    case 'bad-output':
      return { output: { echo: 42 } };
    case 'flaky': {
      const key = input.key ?? '';
      const failed = failures.get(key) ?? 0;
      if (failed < (input.failTimes ?? 1)) {
        failures.set(key, failed + 1);
        throw new Error('flaky dependency'); // the SDK answers 500 (gRPC INTERNAL), retryable
      }
      return { output: { echo: `ok after ${failed} failures` } };
    }
    default:
      return { output: { echo: input?.text ?? '', transport: process.env['TRANSPORT'] ?? 'http', config }, usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5, model: 'sdk-agent' } };
  }
};

const port = Number(process.env['PORT'] ?? 0);
const server =
  process.env['TRANSPORT'] === 'grpc'
    ? grpcAgent({ name: 'sdk-grpc', handler, port, host: '127.0.0.1', secret: process.env['SECRET'] ?? '' })
    : httpAgent({ name: 'sdk-http', handler, port, host: '127.0.0.1', secret: process.env['SECRET'] ?? '' });
process.stdout.write(`READY ${await server.listen()}\n`);
