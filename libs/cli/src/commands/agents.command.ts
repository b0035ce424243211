import { Command } from 'commander';
import { CliError, EXIT } from '../api/errors.js';
import type { ContextFactory } from '../context.js';
import { readValueFile } from '../input/documents.js';
import { examples } from './help.js';

interface AgentView {
  name: string;
  version: string;
  transport: string;
  capabilities: string[];
  healthy: number;
  instances: { state: string }[];
  endpoint?: string;
  lastProbeError?: string;
}

export function agentsCommand(ctxOf: ContextFactory): Command {
  const agents = new Command('agents').description('list agents; register and remove your own (HTTP, gRPC) agents');

  agents
    .command('list')
    .description('built-in agents and your tenant\'s own, with their health')
    .addHelpText('after', examples(['spine agents list', 'spine agents list --json | jq -r \'.agents[] | select(.healthy == 0) | .name\'']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<{ agents: AgentView[] }>('/v1/agents');
      if (ctx.out.json) return ctx.out.data(res);
      ctx.out.table(
        ['NAME', 'VERSION', 'TRANSPORT', 'HEALTHY', 'ENDPOINT'],
        res.agents.map((a) => [a.name, a.version, a.transport, a.healthy > 0 ? ctx.out.c.green(`${a.healthy}/${a.instances.length}`) : ctx.out.c.red(`0/${a.instances.length}`), a.endpoint ?? (a.lastProbeError ? ctx.out.c.dim(a.lastProbeError) : '')]),
      );
    });

  agents
    .command('register')
    .description('register a third-party agent from its card (JSON or YAML); prints its signing secret once (agent-publisher or admin)')
    .argument('<file>', 'agent card: name, version, transport (http|grpc), endpoint, capabilities, inputSchema, outputSchema, timeoutMs, retry')
    .option('--replace', 'replace the card of an agent you registered before (same secret)')
    .addHelpText('after', examples(['spine agents register greeter.yaml', 'spine agents register greeter.json --replace', 'SECRET=$(spine agents register greeter.yaml --json | jq -r .secret)']))
    .action(async (file: string, opts: { replace?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const card = readValueFile(file) as { name?: unknown };
      if (typeof card !== 'object' || card === null || typeof card.name !== 'string') throw new CliError(`${file}: an agent card is an object with a name`, { code: 'BAD_INPUT', exitCode: EXIT.usage });
      const api = ctx.api();
      const res = opts.replace
        ? await api.request<{ agent: AgentView; secret?: string }>('PUT', `/v1/agents/${encodeURIComponent(card.name)}`, { json: card })
        : await api.post<{ agent: AgentView; secret?: string }>('/v1/agents', card);
      if (ctx.out.json) return ctx.out.data(res);
      ctx.out.line(`${ctx.out.c.green(opts.replace ? 'replaced' : 'registered')} ${res.agent.name} ${res.agent.version} (${res.agent.transport} ${res.agent.endpoint ?? ''})`);
      if (res.secret) {
        ctx.out.line(`secret: ${res.secret}`);
        ctx.out.note(ctx.out.c.yellow('the secret is shown once: give it to the agent (SPINE_AGENT_SECRET) now'));
      }
    });

  agents
    .command('rm')
    .alias('remove')
    .description('remove one of your agents')
    .argument('<name>', 'agent name')
    .addHelpText('after', examples(['spine agents rm greeter']))
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      await ctx.api().request('DELETE', `/v1/agents/${encodeURIComponent(name)}`);
      if (ctx.out.json) return ctx.out.data({ name, removed: true });
      ctx.out.line(`removed ${name}`);
    });

  return agents;
}
