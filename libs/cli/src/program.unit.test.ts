import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from './context.js';
import { buildProgram } from './program.js';

const leaves = (c: Command): Command[] => (c.commands.length === 0 ? [c] : c.commands.flatMap(leaves));
const pathOf = (c: Command): string => (c.parent ? `${pathOf(c.parent)} ${c.name()}` : c.name());

describe('spine --help', () => {
  const program = buildProgram(() => ({}) as CommandContext);

  it('has every command the issue asks for', () => {
    expect(leaves(program).map(pathOf).sort()).toEqual(
      [
        'agents list', 'agents register', 'agents rm', 'chat', 'executions cancel', 'executions get', 'executions list', 'executions tail',
        'flows deploy', 'flows diff', 'flows get', 'flows list', 'flows validate', 'inbox decide', 'inbox list', 'keys create', 'keys list',
        'keys revoke', 'knowledge add', 'knowledge list', 'knowledge reindex', 'knowledge rm', 'knowledge search', 'login', 'logout', 'mcp-servers add',
        'mcp-servers list', 'mcp-servers rm', 'run', 'whoami',
      ].map((p) => `spine ${p}`),
    );
  });

  it.each(leaves(program).map((c) => [pathOf(c), c] as const))('%s: takes --json and shows examples', (_path, command) => {
    let help = '';
    command.configureOutput({ writeOut: (s) => (help += s) });
    command.outputHelp();
    expect(help).toContain('--json');
    expect(help).toMatch(/\nExamples:\n {2}\$ spine /);
  });
});
