import { Argument, Command } from 'commander';
import { CliError, EXIT } from '../api/errors.js';
import type { ContextFactory } from '../context.js';
import { jsonArgument } from '../input/documents.js';
import { field, listOf, truncate } from '../output/records.js';
import { examples } from './help.js';

export function inboxCommand(ctxOf: ContextFactory): Command {
  const inbox = new Command('inbox').description('human-in-the-loop tasks waiting for a person: list them, decide them');

  inbox
    .command('list')
    .description("the tenant's open tasks")
    .option('--flow <id>', 'only tasks of this flow')
    .option('--role <role>', 'only tasks assigned to this role')
    .addHelpText('after', examples(['spine inbox list', 'spine inbox list --flow customer-support-flow --json']))
    .action(async (opts: { flow?: string; role?: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const res = await ctx.api().get<unknown>('/v1/inbox', { flowId: opts.flow, role: opts.role });
      if (ctx.out.json) return ctx.out.data(res);
      const tasks = listOf(res, 'tasks', 'items');
      if (tasks.length === 0) return ctx.out.note('the inbox is empty');
      ctx.out.table(
        ['ID', 'FLOW', 'NODE', 'PROMPT', 'DEADLINE'],
        tasks.map((t) => [field(t, 'id', 'taskId'), field(t, 'flowId', 'flow'), field(t, 'nodeId', 'node'), truncate(field(t, 'prompt', 'title', 'reason'), 60), field(t, 'deadline', 'deadlineAt', 'createdAt')]),
      );
    });

  inbox
    .command('decide')
    .description('decide a task: approve, reject, or edit (with the edited data); a task is decided once')
    .argument('<id>', 'task id')
    .addArgument(new Argument('<decision>', 'what you decide').choices(['approve', 'reject', 'edit']))
    .option('--comment <text>', 'why, kept with the decision')
    .option('--edit <json>', 'with edit: the edited data, JSON or @file')
    .addHelpText('after', examples(['spine inbox decide 7b1e… approve --comment "ok, refund it"', 'spine inbox decide 7b1e… edit --edit @fixed-reply.json']))
    .action(async (id: string, decision: string, opts: { comment?: string; edit?: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      if (decision === 'edit' && !opts.edit) throw new CliError('edit needs --edit with the edited data', { code: 'BAD_INPUT', exitCode: EXIT.usage });
      const body = { decision, ...(opts.comment ? { comment: opts.comment } : {}), ...(opts.edit ? { data: jsonArgument(opts.edit, '--edit') } : {}) };
      const res = await ctx.api().post<unknown>(`/v1/inbox/${encodeURIComponent(id)}/decision`, body);
      if (ctx.out.json) return ctx.out.data(res ?? { id, decision });
      ctx.out.line(`${decision === 'reject' ? ctx.out.c.red('rejected') : ctx.out.c.green(decision === 'edit' ? 'edited and approved' : 'approved')} ${id}`);
    });

  return inbox;
}
