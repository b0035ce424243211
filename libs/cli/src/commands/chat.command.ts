import { Command, Option } from 'commander';
import { createInterface } from 'node:readline';
import type { ApiClient } from '../api/client.js';
import { followExecution } from '../api/execution-stream.js';
import type { CommandContext, ContextFactory } from '../context.js';
import type { ExecutionView } from './execution-state.js';
import { examples } from './help.js';

interface ChatOptions {
  user?: string;
  timezone?: string;
  locale?: string;
}

/** The machine's time zone when the server would take it (it accepts IANA names only). */
function localTimezone(): string | undefined {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz) ? tz : undefined;
}

/** One message: sent with Accept: text/event-stream, its reply printed token by token as the execution streams it. */
async function turn(ctx: CommandContext, api: ApiClient, conversationId: string, text: string, opts: ChatOptions): Promise<{ executionId: string; state: string; reply: string }> {
  const timezone = opts.timezone ?? localTimezone();
  const res = await api.open('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    json: { text, ...(timezone ? { timezone } : {}), ...(opts.locale ? { locale: opts.locale } : {}), ...(opts.user ? { userId: opts.user } : {}) },
  });
  const executionId = res.headers.get('x-execution-id') ?? '';
  let reply = '';
  if (!ctx.out.json) ctx.out.write(ctx.out.c.cyan('assistant> '));
  await followExecution(api, executionId, {
    first: res,
    onItem: (item) => {
      if (item.kind !== 'chunk' || item.chunkKind === 'progress') return;
      reply += item.text;
      if (!ctx.out.json) ctx.out.write(item.chunkKind === 'error' ? ctx.out.c.red(item.text) : item.text);
    },
  });
  const settled = await api.get<ExecutionView>(`/v1/executions/${encodeURIComponent(executionId)}`);
  if (!ctx.out.json) {
    const error = settled.error ? ` ${settled.error.code ?? ''} ${settled.error.message ?? ''}` : '';
    ctx.out.line(`${reply.endsWith('\n') ? '' : '\n'}${ctx.out.c.dim(`[${settled.state}${error}]`)}`);
  }
  return { executionId, state: settled.state, reply };
}

export function chatCommand(ctxOf: ContextFactory): Command {
  return new Command('chat')
    .description('talk to a flow: each line you type is a message, the reply streams back token by token (Ctrl-D or /exit ends)')
    .argument('[flow]', 'the flow to talk to (default: the server\'s, erp-assistant)')
    .option('--user <id>', 'your user id in the conversation')
    .option('--timezone <tz>', 'IANA time zone for relative dates (default: this machine\'s)')
    .addOption(new Option('--locale <locale>', 'reply language').choices(['es', 'en']))
    .addHelpText('after', examples(['spine chat', 'spine chat support --user ana --locale en', 'echo "crea el proyecto Website" | spine chat --json   # one JSON line per reply']))
    .action(async (flow: string | undefined, opts: ChatOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const api = ctx.api();
      const conversation = await api.post<{ id: string; flowId: string }>('/v1/conversations', { ...(flow ? { flowId: flow } : {}), ...(opts.user ? { userId: opts.user } : {}) });
      const interactive = ctx.stdin.isTTY === true;
      if (!ctx.out.json) ctx.out.note(ctx.out.c.dim(`conversation ${conversation.id} with ${conversation.flowId}${interactive ? '; Ctrl-D or /exit to leave' : ''}`));
      const rl = createInterface({ input: ctx.stdin, output: ctx.out.terminal.stdout, terminal: interactive && !ctx.out.json });
      rl.setPrompt(ctx.out.c.bold('you> '));
      const prompt = () => {
        if (interactive && !ctx.out.json) rl.prompt();
      };
      prompt();
      for await (const line of rl) {
        const text = line.trim();
        if (text === '/exit' || text === '/quit') break;
        if (text) {
          const result = await turn(ctx, api, conversation.id, text, opts);
          if (ctx.out.json) ctx.out.record({ conversationId: conversation.id, ...result });
        }
        prompt();
      }
      rl.close();
    });
}
