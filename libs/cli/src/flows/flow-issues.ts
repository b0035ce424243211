import type { CliError } from '../api/errors.js';
import { locate, type SourceFile } from '../input/documents.js';
import type { Output } from '../output/output.js';

/** One problem of a flow file, as the API reports it (`{ code, path, message }`), placed in the file when possible. */
export interface FileIssue {
  file: string;
  path: string;
  code: string;
  message: string;
  line?: number;
  col?: number;
}

export type IssueFormat = 'text' | 'github';

export function issuesOfFile(source: SourceFile, issues: readonly { code: string; path: string; message: string }[]): FileIssue[] {
  return issues.map((i) => ({ file: source.file, path: i.path, code: i.code, message: i.message, ...locate(source, i.path) }));
}

/** A 400 that lists problems by path in `details` (`path: "CODE: message"`), as deploy and over-limit validation answer. */
export function issuesOfError(source: SourceFile, err: CliError): FileIssue[] {
  const details = Object.entries(err.details ?? {});
  if (details.length === 0) return [{ file: source.file, path: '', code: err.code, message: err.message }];
  return details.flatMap(([path, text]) =>
    String(text)
      .split('; ')
      .map((part) => {
        const match = /^([A-Z][A-Z0-9_]+): (.*)$/s.exec(part);
        return { file: source.file, path: path === 'flow' ? '' : path, code: match?.[1] ?? err.code, message: match?.[2] ?? part, ...locate(source, path) };
      }),
  );
}

export function syntaxIssue(source: SourceFile): FileIssue {
  const e = source.syntaxError!;
  return { file: source.file, path: '', code: 'SYNTAX', message: e.message, line: e.line, col: e.col };
}

/** `file:path CODE message` like a compiler, or GitHub Actions `::error` annotations (shown on the pull request's lines). */
export function printIssues(out: Output, issues: readonly FileIssue[], format: IssueFormat): void {
  for (const i of issues) {
    if (format === 'github') {
      const where = [`file=${property(i.file)}`, ...(i.line ? [`line=${i.line}`] : []), ...(i.col ? [`col=${i.col}`] : []), `title=${property(i.code)}`];
      out.line(`::error ${where.join(',')}::${data(i.path ? `${i.path}: ${i.message}` : i.message)}`);
    } else {
      const at = i.path || (i.line ? String(i.line) : '');
      out.line(`${i.file}${at ? `:${at}` : ''} ${out.c.red(i.code)} ${i.message}`);
    }
  }
}

// GitHub's workflow-command escaping: data escapes %, CR, LF; properties also : and ,.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
