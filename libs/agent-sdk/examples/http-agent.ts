// A Spine HTTP agent: POST /process greets, GET /health answers. SPINE_AGENT_SECRET is issued at registration.
// eslint-disable-next-line @nx/enforce-module-boundaries -- examples import the package as a third party would
import { httpAgent } from '@spine/agent-sdk';

const port = await httpAgent<{ name?: string }, { greeting: string }>({
  name: 'greeter',
  secret: process.env['SPINE_AGENT_SECRET'] ?? 'dev-secret',
  port: Number(process.env['PORT'] ?? 9090),
  handler: ({ input }) => ({ output: { greeting: `Hello, ${input?.name ?? 'world'}!` } }),
}).listen();
process.stdout.write(`greeter listening on http://localhost:${port}\n`);
