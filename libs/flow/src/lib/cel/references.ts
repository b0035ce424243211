import { skipStringLiteral } from './template.js';

/** Names every expression may read besides node ids. */
export const BUILTIN_NAMES = ['trigger', 'context', 'input'] as const;

/** Ids a node may not take: the built-in names and CEL's reserved words and type names. */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  ...BUILTIN_NAMES,
  ...['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if'],
  ...['import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while', 'cel', 'has', 'dyn'],
  ...['int', 'uint', 'double', 'string', 'bool', 'bytes', 'list', 'map', 'type', 'null_type', 'timestamp', 'duration'],
]);

/** Node ids: CEL identifiers, optionally joined by single hyphens (`intent-classifier`). */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/**
 * Node ids ↔ CEL identifiers. `intent-classifier` is not a CEL identifier (it reads as a
 * subtraction), so each hyphenated id gets a safe name (`intent_classifier`, then `_`
 * appended until it collides with nothing) and expressions are rewritten before parsing.
 */
export class NameTable {
  private readonly safeById = new Map<string, string>();
  private readonly idBySafe = new Map<string, string>();

  constructor(ids: readonly string[]) {
    const taken = new Set<string>([...RESERVED_IDS, ...ids.filter((id) => !id.includes('-'))]);
    for (const id of ids) {
      let safe = id;
      if (id.includes('-')) {
        safe = id.replaceAll('-', '_');
        while (taken.has(safe)) safe += '_';
        taken.add(safe);
      }
      this.safeById.set(id, safe);
      this.idBySafe.set(safe, id);
    }
  }

  has(id: string): boolean {
    return this.safeById.has(id);
  }

  safeName(id: string): string {
    return this.safeById.get(id) ?? id;
  }

  /** The node id a CEL identifier stands for, if any. */
  idOf(safe: string): string | undefined {
    return this.idBySafe.get(safe);
  }

  /** Puts node ids back into a message that quotes the rewritten expression. */
  restore(message: string): string {
    return message.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (word) => {
      const id = this.idBySafe.get(word);
      return id !== undefined && id.includes('-') ? id : word;
    });
  }
}

export interface RewrittenExpression {
  /** The expression with every hyphenated node id replaced by its safe name. */
  expr: string;
  /** Node ids the expression names, in order of first appearance. */
  nodes: string[];
  /** Hyphenated names that match no node (`intent-clasifier`). */
  unknown: string[];
}

function previousSignificant(text: string, index: number): string | undefined {
  for (let i = index - 1; i >= 0; i -= 1) {
    const ch = text[i] as string;
    if (!/\s/.test(ch)) return ch;
  }
  return undefined;
}

function skipNumber(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const ch = text[i] as string;
    const exponentSign = (ch === '+' || ch === '-') && /[eE]/.test(text[i - 1] ?? '') && !/[xX]/.test(text.slice(start, i));
    if (!IDENT_PART.test(ch) && ch !== '.' && !exponentSign) break;
    i += 1;
  }
  return i;
}

/** Reads `ident(-part)*` from `start`; returns the chain's segments. */
function readChain(text: string, start: number): string[] {
  const segments: string[] = [];
  let i = start;
  for (;;) {
    let j = i;
    while (j < text.length && IDENT_PART.test(text[j] as string)) j += 1;
    segments.push(text.slice(i, j));
    if (text[j] === '-' && IDENT_PART.test(text[j + 1] ?? '')) i = j + 1;
    else return segments;
  }
}

/** Rewrites node references to safe CEL identifiers and lists which nodes an expression names. */
export function rewriteReferences(expr: string, names: NameTable): RewrittenExpression {
  const nodes = new Set<string>();
  const unknown = new Set<string>();
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i] as string;
    if (ch === '"' || ch === "'") {
      const end = skipStringLiteral(expr, i);
      out += expr.slice(i, end);
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const end = skipNumber(expr, i);
      out += expr.slice(i, end);
      i = end;
      continue;
    }
    if (!IDENT_START.test(ch)) {
      out += ch;
      i += 1;
      continue;
    }
    const segments = readChain(expr, i);
    const first = segments[0] as string;
    const isField = previousSignificant(expr, i) === '.';
    const isStringPrefix = segments.length === 1 && /['"]/.test(expr[i + first.length] ?? '');
    if (isField || isStringPrefix) {
      out += first;
      i += first.length;
      continue;
    }
    const chain = segments.join('-');
    if (names.has(chain)) {
      nodes.add(chain);
      out += names.safeName(chain);
      i += chain.length;
      continue;
    }
    if (segments.slice(1).every((s) => IDENT_START.test(s[0] ?? '')) && segments.length > 1) {
      unknown.add(chain); // `a-b` written without spaces is read as a node id, not a subtraction
      out += chain;
      i += chain.length;
      continue;
    }
    // `step-1-2`, `x-1`: the longest known id, then arithmetic
    let matched = Math.max(1, segments.length - 1);
    while (matched > 1 && !names.has(segments.slice(0, matched).join('-'))) matched -= 1;
    const name = segments.slice(0, matched).join('-');
    if (names.has(name)) {
      nodes.add(name);
      out += names.safeName(name);
    } else {
      out += name;
    }
    i += name.length;
  }
  return { expr: out, nodes: [...nodes], unknown: [...unknown] };
}
