import type { Command } from 'commander';
import { ApiClient, type Connection } from './api/client.js';
import { CliError } from './api/errors.js';
import type { CliEnv } from './config/cli.config.js';
import { ProfileStore } from './config/profiles.js';
import { Output, type Terminal } from './output/output.js';

/** Options every command takes (declared once, on the root program). */
export interface GlobalOptions {
  url?: string;
  key?: string;
  profile?: string;
  json?: boolean;
  color?: boolean;
}

/** The exit code of the run: commands that end without an error set it (validation found problems, a run FAILED). */
export class ExitStatus {
  code = 0;
}

/** What a command's action works with: its output, the profiles, and a client for the API. */
export class CommandContext {
  readonly out: Output;
  readonly profiles: ProfileStore;
  private readonly globals: GlobalOptions;

  constructor(
    readonly env: CliEnv,
    terminal: Terminal,
    command: Command,
    readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean },
    private readonly status: ExitStatus,
  ) {
    this.globals = command.optsWithGlobals<GlobalOptions>();
    const color = this.globals.color !== false && !env.noColor && (env.forceColor || terminal.stdout.isTTY === true);
    this.out = new Output(terminal, { json: this.globals.json === true, color });
    this.profiles = new ProfileStore(env.configDir);
  }

  exitWith(code: number): void {
    this.status.code = code;
  }

  get profileName(): string {
    return this.globals.profile ?? this.env.profile ?? this.profiles.read().current;
  }

  /** URL and key: --url/--key, else SPINE_URL/SPINE_API_KEY, else the profile (--profile, SPINE_PROFILE, or the current one). */
  connection(): Connection {
    const name = this.profileName;
    const profile = this.profiles.get(name);
    const url = this.globals.url ?? this.env.url ?? profile?.url;
    const key = this.globals.key ?? this.env.apiKey ?? profile?.key;
    if (!url) {
      throw new CliError(`no Spine URL (no profile "${name}" in ${this.profiles.file})`, { code: 'NOT_LOGGED_IN', hint: 'run spine login --url <url> --key <key>, or set SPINE_URL and SPINE_API_KEY' });
    }
    const source = this.globals.url || this.globals.key ? 'flags' : this.env.url || this.env.apiKey ? 'environment' : `profile ${name}`;
    return { url, key, source };
  }

  api(): ApiClient {
    return new ApiClient(this.connection());
  }
}

export type ContextFactory = (command: Command) => CommandContext;
