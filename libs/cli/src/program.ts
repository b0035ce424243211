import { Command, Option } from 'commander';
import { agentsCommand } from './commands/agents.command.js';
import { loginCommand, logoutCommand, whoamiCommand } from './commands/auth.command.js';
import { chatCommand } from './commands/chat.command.js';
import { executionsCommand } from './commands/executions.command.js';
import { flowsCommand } from './commands/flows.command.js';
import { examples } from './commands/help.js';
import { inboxCommand } from './commands/inbox.command.js';
import { keysCommand } from './commands/keys.command.js';
import { knowledgeCommand } from './commands/knowledge.command.js';
import { mcpServersCommand } from './commands/mcp-servers.command.js';
import { runCommand } from './commands/run.command.js';
import type { ContextFactory } from './context.js';

export const VERSION = '0.1.0';

const ENVIRONMENT = `
Environment:
  SPINE_URL, SPINE_API_KEY  override the profile's URL and key (for CI jobs: no login needed)
  SPINE_PROFILE             the profile to use (like --profile)
  SPINE_CONFIG_DIR          where profiles are kept (default: your config dir, e.g. ~/.config/spine)
  NO_COLOR                  no colours; colours are only ever used on a terminal

Exit codes: 0 ok, 1 an error (or a flow with problems, an execution FAILED), 2 bad usage,
3 an execution CANCELLED, 4 an execution WAITING_INPUT. Errors print the API's code and a hint.
`;

/** `spine` and its commands; each command's action gets a CommandContext from `ctxOf`. */
export function buildProgram(ctxOf: ContextFactory): Command {
  const program = new Command('spine')
    .description('Drive a Spine mesh from a terminal or a CI job: flows, runs, executions, chat, agents, keys, inbox, knowledge, MCP servers')
    .version(VERSION, '-V, --version', 'print the CLI version')
    // Options before the command belong to spine, after it to the command: `spine run x --version 2` is the flow's.
    .enablePositionalOptions()
    .addHelpText('after', `${examples([
      'spine login --url http://127.0.0.1:8080 --key spk_…',
      'spine flows validate flows/*.yaml --format github',
      'spine flows deploy support.yaml',
      'spine run support --input \'{"content":"hola"}\' --wait',
      'spine executions tail 3f6c…',
      'spine chat',
    ])}${ENVIRONMENT}`);

  for (const command of [
    loginCommand(ctxOf),
    logoutCommand(ctxOf),
    whoamiCommand(ctxOf),
    flowsCommand(ctxOf),
    runCommand(ctxOf),
    chatCommand(ctxOf),
    executionsCommand(ctxOf),
    agentsCommand(ctxOf),
    keysCommand(ctxOf),
    inboxCommand(ctxOf),
    knowledgeCommand(ctxOf),
    mcpServersCommand(ctxOf),
  ]) {
    program.addCommand(command);
  }
  // Every command takes the common options (before or after its own), and ends a failed parse with exit 2.
  const configure = (c: Command) => {
    for (const option of commonOptions()) c.addOption(option);
    c.exitOverride().showHelpAfterError('(add --help for usage)');
    c.commands.forEach(configure);
  };
  configure(program);
  return program;
}

function commonOptions(): Option[] {
  return [
    new Option('--url <url>', 'the Spine URL (overrides SPINE_URL and the profile)'),
    new Option('--key <key>', 'the API key (overrides SPINE_API_KEY and the profile)'),
    new Option('-p, --profile <name>', 'the profile to use (default: SPINE_PROFILE, else the last one logged in)'),
    new Option('--json', 'print JSON for scripts (errors too, on stderr)'),
    new Option('--no-color', 'no colours (same as NO_COLOR=1)'),
  ];
}
