import type { ASTNode } from '@marcbachmann/cel-js';
import { RE2JS, RE2JSException } from 're2js';

/** What `matches()` runs as: cel-js's own `matches` uses a backtracking JavaScript RegExp, and its registry cannot replace it. */
export const RE2_MATCHES = 'spine_re2_matches';

const CACHE_SIZE = 1_000;
const compiled = new Map<string, RE2JS>();

/** The pattern compiled by RE2 (linear-time matching), or why RE2 refuses it (backreferences, lookaround, …). */
export function compileRe2(pattern: string): { ok: true; re: RE2JS } | { ok: false; error: string } {
  const cached = compiled.get(pattern);
  if (cached) return { ok: true, re: cached };
  try {
    const re = RE2JS.compile(pattern);
    if (compiled.size >= CACHE_SIZE) compiled.clear();
    compiled.set(pattern, re);
    return { ok: true, re };
  } catch (err) {
    if (err instanceof RE2JSException) return { ok: false, error: err.message };
    throw err;
  }
}

/** CEL `matches`: true when the pattern matches anywhere in the text (RE2 syntax, unanchored). */
export function re2Matches(text: string, pattern: string): boolean {
  const result = compileRe2(pattern);
  if (!result.ok) throw new Error(`invalid RE2 pattern '${pattern}': ${result.error}`);
  return result.re.test(text);
}

/**
 * Points every `matches` call of a parsed expression at `RE2_MATCHES`. Done on the AST in place,
 * before it is first evaluated: cel-js looks a call's function up by the name the node holds.
 */
export function useRe2(node: ASTNode): void {
  if ((node.op === 'rcall' || node.op === 'call') && node.args[0] === 'matches') (node.args as unknown[])[0] = RE2_MATCHES;
  const args: unknown = node.args;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null && 'op' in value) useRe2(value as ASTNode);
  };
  if (node.op !== 'value' && node.op !== 'id') visit(args);
}
