// A Spine gRPC agent: spine.agent.v1.AgentService (Invoke, InvokeStream) and grpc.health.v1.Health.
// eslint-disable-next-line @nx/enforce-module-boundaries -- examples import the package as a third party would
import { grpcAgent } from '@spine/agent-sdk';

const port = await grpcAgent<{ text?: string }, { upper: string }>({
  name: 'shouter',
  port: Number(process.env['PORT'] ?? 50051),
  // The secret registration gave: calls without Spine's signature over their bytes are refused (UNAUTHENTICATED).
  secret: process.env['SPINE_AGENT_SECRET'] ?? 'dev-secret',
  handler: ({ input, emit }) => {
    const upper = (input?.text ?? '').toUpperCase();
    for (const word of upper.split(' ')) emit(`${word} `); // streamed on InvokeStream, ignored on Invoke
    return { output: { upper } };
  },
}).listen();
process.stdout.write(`shouter listening on grpc://localhost:${port}\n`);
