import { readFile } from 'node:fs/promises';

/** The last `count` lines of a log file, for error messages; empty when the file is unreadable. */
export async function logTail(file: string, count = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Keeps the last `limit` lines pushed into it. */
export class LineBuffer {
  private readonly kept: string[] = [];

  constructor(private readonly limit = 200) {}

  push(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (line === '') continue;
      this.kept.push(line);
      if (this.kept.length > this.limit) this.kept.shift();
    }
  }

  lines(): string[] {
    return [...this.kept];
  }

  tail(count = 30): string {
    return this.kept.slice(-count).join('\n');
  }
}
