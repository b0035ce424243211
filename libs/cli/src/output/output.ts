import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

/** The streams a command writes to; a fake in unit tests. */
export interface Terminal {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface OutputOptions {
  json: boolean;
  /** Whether to colour: on a TTY unless NO_COLOR or --no-color; FORCE_COLOR forces it. */
  color: boolean;
}

/** Everything a command prints goes through here: text or `--json`, colours only when wanted. */
export class Output {
  readonly c: Colors;

  constructor(
    readonly terminal: Terminal,
    readonly options: OutputOptions,
  ) {
    this.c = createColors(options.color);
  }

  get json(): boolean {
    return this.options.json;
  }

  /** stdout is a terminal a person watches: live spinners instead of one line per change. */
  get live(): boolean {
    return this.terminal.stdout.isTTY === true && !this.options.json;
  }

  write(text: string): void {
    this.terminal.stdout.write(text);
  }

  line(text = ''): void {
    this.terminal.stdout.write(`${text}\n`);
  }

  /** A document for scripts: the whole answer, pretty-printed. */
  data(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  /** One JSON object per line (a stream of events). */
  record(value: unknown): void {
    this.line(JSON.stringify(value));
  }

  /** Notes for the person at the terminal (never in --json output, which goes to stdout). */
  note(text: string): void {
    this.terminal.stderr.write(`${text}\n`);
  }

  /** Rows under a header, columns padded to their widest cell. */
  table(header: string[], rows: string[][]): void {
    if (rows.length === 0) return;
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
    const fmt = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, widths[i]! - visibleLength(cell))))).join('  ');
    this.line(this.c.dim(fmt(header)));
    for (const row of rows) this.line(fmt(row));
  }
}

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** `1.2 s`, `340 ms`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
