import { CommanderError } from 'commander';
import { createColors } from 'picocolors';
import { CliError, EXIT } from './api/errors.js';
import { loadCliEnv } from './config/cli.config.js';
import { CommandContext, ExitStatus } from './context.js';
import type { Terminal } from './output/output.js';
import { buildProgram } from './program.js';

/** Runs one `spine …` command line; resolves with the exit code. */
export async function runCli(argv: string[], terminal: Terminal, stdin: NodeJS.ReadableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv): Promise<number> {
  const status = new ExitStatus();
  try {
    const cliEnv = loadCliEnv(env);
    const program = buildProgram((command) => new CommandContext(cliEnv, terminal, command, stdin, status));
    program.configureOutput({ writeOut: (s) => terminal.stdout.write(s), writeErr: (s) => terminal.stderr.write(s) });
    await program.parseAsync(argv, { from: 'user' });
    return status.code;
  } catch (err) {
    // --help and --version end the parse through this error too, with exit code 0; a bad command line is 2.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return report(err, terminal, env, argv.includes('--json'));
  }
}

function report(err: unknown, terminal: Terminal, env: NodeJS.ProcessEnv, json: boolean): number {
  const error = err instanceof CliError ? err : new CliError(err instanceof Error ? err.message : String(err), { code: 'INTERNAL' });
  if (json) {
    terminal.stderr.write(`${JSON.stringify(error.toJson())}\n`);
    return error.exitCode;
  }
  const c = createColors(terminal.stderr.isTTY === true && !env['NO_COLOR']);
  const lines = [`${c.red(c.bold('error'))} ${c.bold(error.code)}: ${error.message}`];
  for (const [field, why] of Object.entries(error.details ?? {})) lines.push(`  ${field}: ${typeof why === 'string' ? why : JSON.stringify(why)}`);
  if (error.hint) lines.push(`${c.cyan('hint')}: ${error.hint}`);
  terminal.stderr.write(`${lines.join('\n')}\n`);
  return error.exitCode;
}
