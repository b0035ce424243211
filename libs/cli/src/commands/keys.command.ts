import { Command, Option } from 'commander';
import type { ContextFactory } from '../context.js';
import { examples } from './help.js';

interface ApiKeyView {
  id: string;
  tenantId: string;
  role: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function keysCommand(ctxOf: ContextFactory): Command {
  const keys = new Command('keys').description("create, list and revoke your tenant's API keys (admin)");

  keys
    .command('create')
    .description('a new key; its token is shown once')
    .requiredOption('--name <name>', 'what the key is for, e.g. ci-deploy')
    .addOption(new Option('--role <role>', 'what it may do').choices(['client', 'agent-publisher', 'admin', 'reviewer', 'knowledge-editor']).default('client'))
    .addHelpText('after', examples(['spine keys create --name ci-deploy --role admin', 'TOKEN=$(spine keys create --name bot --json | jq -r .token)']))
    .action(async (opts: { name: string; role: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const key = await ctx.api().post<ApiKeyView & { token: string }>('/v1/admin/api-keys', { name: opts.name, role: opts.role });
      if (ctx.out.json) return ctx.out.data(key);
      ctx.out.line(key.token);
      ctx.out.note(`key ${key.id} (${key.role}, "${key.name}") created; ${ctx.out.c.yellow('the token above is shown once')}`);
    });

  keys
    .command('list')
    .description('every key of the tenant, without secrets')
    .addHelpText('after', examples(['spine keys list', 'spine keys list --json | jq -r \'.keys[] | select(.revokedAt == null) | .id\'']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<{ keys: ApiKeyView[] }>('/v1/admin/api-keys');
      if (ctx.out.json) return ctx.out.data(res);
      ctx.out.table(['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'], res.keys.map((k) => [k.id, k.name, k.role, k.createdAt, k.lastUsedAt ?? '', k.revokedAt ? ctx.out.c.red(k.revokedAt) : '']));
    });

  keys
    .command('revoke')
    .description('revoke a key: calls with it fail from now on')
    .argument('<id>', 'key id (spine keys list)')
    .addHelpText('after', examples(['spine keys revoke 3b9f1c2d4e5a']))
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const key = await ctx.api().request<ApiKeyView>('DELETE', `/v1/admin/api-keys/${encodeURIComponent(id)}`);
      if (ctx.out.json) return ctx.out.data(key);
      ctx.out.line(`revoked ${key.id} ("${key.name}", ${key.role})`);
    });

  return keys;
}
