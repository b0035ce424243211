import { Command, Option } from 'commander';
import type { ContextFactory } from '../context.js';
import { duration } from '../output/output.js';
import { exitCodeOf, printOutcome, type ExecutionView } from './execution-state.js';
import { examples, positiveInt } from './help.js';
import { watchExecution } from './watch.js';

type ExecutionSummary = Pick<ExecutionView, 'id' | 'flowId' | 'flowVersion' | 'state' | 'createdAt' | 'finishedAt'>;

const path = (id: string) => `/v1/executions/${encodeURIComponent(id)}`;

export function executionsCommand(ctxOf: ContextFactory): Command {
  const executions = new Command('executions').alias('exec').description('list, show, follow and cancel executions');

  executions
    .command('list')
    .description("the tenant's recent executions (newest first)")
    .option('--flow <id>', 'only this flow')
    .addOption(new Option('--state <state>', 'only this state').choices(['RECEIVED', 'TRIAGED', 'RETRIEVED_CONTEXT', 'PLANNED', 'EXECUTING_TOOLS', 'STREAMING_RESPONSE', 'WAITING_INPUT', 'DONE', 'FAILED', 'CANCELLED']))
    .option('--limit <n>', 'at most this many', positiveInt, 20)
    .addHelpText('after', examples(['spine executions list --flow support --state FAILED', 'spine executions list --json | jq -r ".executions[].id"']))
    .action(async (opts: { flow?: string; state?: string; limit: number }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<{ executions: ExecutionSummary[] } | ExecutionSummary[]>('/v1/executions', { flowId: opts.flow, state: opts.state, limit: opts.limit });
      const list = Array.isArray(res) ? res : res.executions;
      if (ctx.out.json) return ctx.out.data({ executions: list });
      if (list.length === 0) return ctx.out.note('no executions');
      ctx.out.table(['ID', 'FLOW', 'STATE', 'CREATED', 'TOOK'], list.map((e) => [e.id, `${e.flowId}@${e.flowVersion}`, e.state, e.createdAt, e.finishedAt ? duration(Date.parse(e.finishedAt) - Date.parse(e.createdAt)) : '']));
    });

  executions
    .command('get')
    .description('an execution: its state, error and every node with attempts and durations')
    .argument('<id>', 'execution id')
    .addHelpText('after', examples(['spine executions get 3f6c…', 'spine executions get 3f6c… --json | jq \'.nodes[] | {nodeId, state, durationMs}\'']))
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const e = await ctx.api().get<ExecutionView>(path(id));
      if (ctx.out.json) return ctx.out.data(e);
      ctx.out.line(`${ctx.out.c.bold(e.flowId)} version ${e.flowVersion}${e.conversationId ? `, conversation ${e.conversationId}` : ''}, started ${e.createdAt}`);
      ctx.out.table(['NODE', 'STATE', 'ATTEMPTS', 'TOOK', 'ERROR'], e.nodes.map((n) => [n.nodeId, n.state, String(n.attempts), duration(n.durationMs), n.error ? `${n.error.code ?? ''} ${n.error.message ?? ''}` : '']));
      printOutcome(ctx.out, e);
    });

  executions
    .command('tail')
    .description('follow an execution live until it ends; a dropped connection resumes where it stopped (Last-Event-ID)')
    .argument('<id>', 'execution id')
    .option('--from <event-id>', 'start after this event id (an SSE id such as 12.4) instead of the beginning')
    .addHelpText('after', `${examples(['spine executions tail 3f6c…', 'spine executions tail 3f6c… --json   # one JSON object per event and token'])}\nExits like run --wait: 0 DONE, 1 FAILED, 3 CANCELLED, 4 WAITING_INPUT.\n`)
    .action(async (id: string, opts: { from?: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const settled = await watchExecution(ctx, ctx.api(), id, { jsonItems: true, ...(opts.from ? { from: opts.from } : {}) });
      if (ctx.out.json) ctx.out.record({ kind: 'end', state: settled.state, error: settled.error });
      else printOutcome(ctx.out, settled);
      ctx.exitWith(exitCodeOf(settled.state));
    });

  executions
    .command('cancel')
    .description('cancel an execution: nothing more is dispatched, running nodes are told to stop')
    .argument('<id>', 'execution id')
    .addHelpText('after', examples(['spine executions cancel 3f6c…']))
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().post<{ state?: string }>(`${path(id)}/cancel`);
      if (ctx.out.json) return ctx.out.data(res);
      ctx.out.line(`cancel requested for ${id}${res?.state ? ` (state ${res.state})` : ''}`);
    });

  return executions;
}
