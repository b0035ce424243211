import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { CliError, EXIT } from '../api/errors.js';

/** A flow or agent card read from a file: its text, and how to send it (YAML as it is, JSON parsed). */
export interface SourceFile {
  file: string;
  text: string;
  yaml: boolean;
  /** The parsed value; undefined when the file does not parse (see `syntaxError`). */
  value: unknown;
  syntaxError: { message: string; line: number; col: number } | undefined;
  /** For finding a path's line (YAML and JSON alike: JSON is YAML). */
  document: Document.Parsed;
  lines: LineCounter;
}

export function readText(file: string, what = 'file'): string {
  if (file === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { code: 'BAD_INPUT', exitCode: EXIT.usage });
  }
}

export function readSourceFile(file: string): SourceFile {
  const text = readText(file);
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const error = document.errors[0];
  if (error) {
    const pos = lines.linePos(error.pos[0]);
    return { file, text, yaml, value: undefined, document, lines, syntaxError: { message: error.message.split('\n')[0] ?? 'syntax error', line: pos.line, col: pos.col } };
  }
  return { file, text, yaml, value: document.toJS({ maxAliasCount: 100 }), document, lines, syntaxError: undefined };
}

/** The value of a file that must parse, or a BAD_INPUT error naming where it does not. */
export function readValueFile(file: string): unknown {
  const source = readSourceFile(file);
  if (source.syntaxError) throw new CliError(`${file}:${source.syntaxError.line}:${source.syntaxError.col}: ${source.syntaxError.message}`, { code: 'BAD_INPUT', exitCode: EXIT.usage });
  return source.value;
}

/** `--input '{"a":1}'`, `--input @input.json` (or .yaml), `--input @-` (stdin). */
export function jsonArgument(value: string, option: string): unknown {
  if (value.startsWith('@')) return readValueFile(value.slice(1));
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new CliError(`${option} is not JSON: ${(err as Error).message}`, { code: 'BAD_INPUT', exitCode: EXIT.usage, hint: `${option} takes JSON, or @file to read it from a file` });
  }
}

/** The line and column of a path such as `nodes[1].inputs.v` in the file, when it can be found. */
export function locate(source: SourceFile, path: string): { line: number; col: number } | undefined {
  const keys = path.match(/[^.[\]]+/g)?.map((k) => (/^\d+$/.test(k) ? Number(k) : k)) ?? [];
  // The deepest node the path reaches: an issue on a missing field points at its parent.
  for (let n = keys.length; n > 0; n--) {
    const node = source.document.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return source.lines.linePos(offset);
  }
  return undefined;
}
