import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@spine/testing';

const run = promisify(execFile);

/** A program running in a pseudo-terminal of a private tmux server: type into it, read its screen. */
export class TmuxSession {
  private constructor(private readonly dir: string) {}

  /** Starts `command` (argv) in a detached 120×40 window whose pane stays after it exits. */
  static async start(command: string[], env: Record<string, string>): Promise<TmuxSession> {
    const dir = mkdtempSync(join(tmpdir(), 'spine-tmux-'));
    // Set in the server's config, so it holds from the first instant: a pane that exits early still keeps its status.
    writeFileSync(join(dir, 'tmux.conf'), 'set -g remain-on-exit on\nset -g history-limit 5000\n');
    const session = new TmuxSession(dir);
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // A shell around it prints how it ended, on the screen, after its last line.
    await session.tmux('new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', ...envArgs, 'sh', '-c', '"$@"; echo "[exit $?]"', 'sh', ...command);
    return session;
  }

  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', '-l', text);
    await this.tmux('send-keys', '-t', 'main', 'Enter');
  }

  /** The visible screen and its scrollback, as text. */
  async screen(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'main')).stdout;
  }

  /** Waits until the screen matches (the terminal has no event to subscribe to: its screen is polled). */
  async until(match: RegExp, what: string): Promise<string> {
    try {
      return await waitFor(async () => {
        const screen = await this.screen();
        return match.test(screen) ? screen : undefined;
      }, { what, intervalMs: 100 });
    } catch (err) {
      throw new Error(`${(err as Error).message}\nthe screen:\n${await this.screen().catch(() => '(gone)')}`, { cause: err });
    }
  }

  /** The program's exit code, which the wrapping shell prints when it ends (tmux's own pane status proved unreliable). */
  async exitCode(): Promise<number> {
    const screen = await this.until(/\[exit (\d+)\]/, 'the program in tmux to exit');
    return Number(/\[exit (\d+)\]/.exec(screen)![1]);
  }

  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    // A server of its own, its socket in the session's folder: removed with it, whatever other tmux runs here.
    return run('tmux', ['-S', join(this.dir, 'tmux.sock'), '-f', join(this.dir, 'tmux.conf'), ...args]);
  }
}
