import { Command, InvalidArgumentError } from 'commander';
import type { ContextFactory } from '../context.js';
import { examples } from './help.js';

interface McpServerView {
  name: string;
  url: string;
  headerNames: string[];
  status: string;
  checkedAt: string;
  tools: { name: string; description: string }[];
}

/** `--header name=value`, repeatable. */
function header(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected name=value');
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

export function mcpServersCommand(ctxOf: ContextFactory): Command {
  const servers = new Command('mcp-servers').description("register, list and remove your tenant's MCP servers, whose tools flows call as server.tool (admin)");

  servers
    .command('add')
    .description('register a Streamable HTTP MCP server; its tools are listed now')
    .argument('<name>', 'the namespace of its tools (calc → calc.add)')
    .argument('<url>', 'its Streamable HTTP endpoint')
    .option('--secret <secret>', 'sent as Authorization: Bearer <secret>')
    .option('--header <name=value>', 'a header sent with every request (repeatable)', header, {})
    .addHelpText('after', examples(['spine mcp-servers add calc https://calc.example.com/mcp --secret "$CALC_TOKEN"', 'spine mcp-servers add docs https://docs.example.com/mcp --header x-team=ops']))
    .action(async (name: string, url: string, opts: { secret?: string; header: Record<string, string> }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const server = await ctx.api().post<McpServerView>('/v1/mcp-servers', { name, url, headers: opts.header, ...(opts.secret ? { secret: opts.secret } : {}) });
      if (ctx.out.json) return ctx.out.data(server);
      ctx.out.line(`registered ${server.name}: ${server.tools.map((t) => t.name).join(', ') || 'no tools'}`);
      ctx.out.note('list each tool a flow calls in its scopes.allowedTools');
    });

  servers
    .command('list')
    .description('the tenant\'s MCP servers, their health and tools (no secrets)')
    .addHelpText('after', examples(['spine mcp-servers list', 'spine mcp-servers list --json | jq -r \'.servers[].tools[].name\'']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<{ servers: McpServerView[] }>('/v1/mcp-servers');
      if (ctx.out.json) return ctx.out.data(res);
      ctx.out.table(
        ['NAME', 'URL', 'STATUS', 'CHECKED', 'TOOLS'],
        res.servers.map((s) => [s.name, s.url, s.status === 'healthy' ? ctx.out.c.green(s.status) : ctx.out.c.red(s.status), s.checkedAt, s.tools.map((t) => t.name).join(', ')]),
      );
    });

  servers
    .command('rm')
    .description('remove a server: flows can no longer be deployed with its tools')
    .argument('<name>', 'server name (spine mcp-servers list)')
    .addHelpText('after', examples(['spine mcp-servers rm calc']))
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      await ctx.api().request('DELETE', `/v1/mcp-servers/${encodeURIComponent(name)}`);
      if (ctx.out.json) return ctx.out.data({ removed: name });
      ctx.out.line(`removed ${name}`);
    });

  return servers;
}
