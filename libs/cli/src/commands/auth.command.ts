import { Command } from 'commander';
import { ApiClient } from '../api/client.js';
import { CliError, EXIT } from '../api/errors.js';
import type { ContextFactory } from '../context.js';
import { readText } from '../input/documents.js';
import { examples } from './help.js';

interface Principal {
  tenantId: string;
  role: string;
  keyId: string;
}

export function loginCommand(ctxOf: ContextFactory): Command {
  return new Command('login')
    .description('check --url and --key against the server, then save them as a profile (file mode 0600); --key - reads the key from stdin')
    .addHelpText('after', examples([
      'spine login --url http://127.0.0.1:8080 --key spk_…',
      'printf %s "$KEY" | spine login --url https://spine.example.com --key - --profile prod',
      'SPINE_URL=… SPINE_API_KEY=… spine whoami      # no profile: the environment overrides it',
    ]))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const opts = cmd.optsWithGlobals<{ url?: string; key?: string }>();
      const url = opts.url ?? ctx.env.url;
      let key = opts.key ?? ctx.env.apiKey;
      if (key === '-') key = readText('-', 'key').trim();
      if (!url || !key) throw new CliError('login needs --url and --key (or SPINE_URL and SPINE_API_KEY)', { code: 'BAD_INPUT', exitCode: EXIT.usage });
      const who = await new ApiClient({ url, key, source: 'flags' }).get<Principal>('/v1/whoami');
      const profile = ctx.profileName;
      ctx.profiles.save(profile, { url, key });
      if (ctx.out.json) return ctx.out.data({ profile, url, ...who, configFile: ctx.profiles.file });
      ctx.out.line(`${ctx.out.c.green('logged in')} to ${url} as tenant ${ctx.out.c.bold(who.tenantId)} (role ${who.role}, key ${who.keyId})`);
      ctx.out.note(`profile "${profile}" saved in ${ctx.profiles.file}`);
    });
}

export function logoutCommand(ctxOf: ContextFactory): Command {
  return new Command('logout')
    .description('forget the profile (--profile, or the current one)')
    .addHelpText('after', examples(['spine logout', 'spine logout --profile prod']))
    .action((_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const name = ctx.profileName;
      const removed = ctx.profiles.remove(name);
      if (ctx.out.json) return ctx.out.data({ profile: name, removed });
      ctx.out.line(removed ? `profile "${name}" removed` : `no profile "${name}"`);
    });
}

export function whoamiCommand(ctxOf: ContextFactory): Command {
  return new Command('whoami')
    .description('the tenant and role of the key in use, and where it came from')
    .addHelpText('after', examples(['spine whoami', 'spine whoami --profile prod --json']))
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const api = ctx.api();
      const who = await api.get<Principal>('/v1/whoami');
      if (ctx.out.json) return ctx.out.data({ url: api.baseUrl, source: api.connection.source, ...who });
      ctx.out.line(`tenant ${ctx.out.c.bold(who.tenantId)}, role ${who.role}, key ${who.keyId} at ${api.baseUrl} (${api.connection.source})`);
    });
}
