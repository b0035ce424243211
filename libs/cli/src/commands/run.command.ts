import { Command } from 'commander';
import { CliError, EXIT } from '../api/errors.js';
import type { ContextFactory } from '../context.js';
import { jsonArgument } from '../input/documents.js';
import { exitCodeOf, printOutcome } from './execution-state.js';
import { examples, positiveInt } from './help.js';
import { watchExecution } from './watch.js';

interface Started {
  executionId: string;
  flowId: string;
  flowVersion: number;
  state: string;
}

export function runCommand(ctxOf: ContextFactory): Command {
  return new Command('run')
    .description('start an execution of a flow; with --wait, watch its nodes live and exit with its final state')
    .argument('<flow>', 'flow id')
    .option('-i, --input <json>', 'the trigger input: JSON, or @file (JSON or YAML), or @- for stdin', '{}')
    .option('--version <n>', 'a pinned flow version (default: the latest)', positiveInt)
    .option('-w, --wait', 'follow the execution to its end: a line per node (✓/✗ with durations), reply tokens as they stream')
    .addHelpText('after', `${examples([
      'spine run support --input \'{"content":"hola"}\' --wait',
      'spine run support --input @message.json --version 3',
      'spine run support --wait --json | jq .state',
    ])}\nExit codes with --wait: 0 DONE, 1 FAILED (or an error), 3 CANCELLED, 4 WAITING_INPUT.\n`)
    .action(async (flow: string, opts: { input: string; version?: number; wait?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const input = jsonArgument(opts.input, '--input');
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CliError('--input must be a JSON object', { code: 'BAD_INPUT', exitCode: EXIT.usage });
      const api = ctx.api();
      const started = await api.post<Started>(`/v1/flows/${encodeURIComponent(flow)}/executions`, { input, ...(opts.version ? { version: opts.version } : {}) });
      if (!opts.wait) {
        if (ctx.out.json) return ctx.out.data(started);
        ctx.out.line(started.executionId);
        ctx.out.note(ctx.out.c.dim(`started ${started.flowId} version ${started.flowVersion}; follow it: spine executions tail ${started.executionId}`));
        return;
      }
      if (!ctx.out.json) ctx.out.note(ctx.out.c.dim(`${started.flowId} version ${started.flowVersion}, execution ${started.executionId}`));
      const settled = await watchExecution(ctx, api, started.executionId, { jsonItems: false });
      if (ctx.out.json) ctx.out.data(settled);
      else printOutcome(ctx.out, settled);
      ctx.exitWith(exitCodeOf(settled.state));
    });
}
