export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expr'; expr: string };

export type TemplateSplit = { ok: true; parts: TemplatePart[] } | { ok: false; error: string };

/** Index just past the string literal opening at `start` (CEL quotes: ', ", ''' and """). */
export function skipStringLiteral(text: string, start: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  let i = start + close.length;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(close, i)) return i + close.length;
    if (!triple && text[i] === '\n') return i;
    i += 1;
  }
  return text.length;
}

/** Index of the `}}` closing an expression that starts at `start`, minding strings and map literals. */
function closingBraces(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = skipStringLiteral(text, i);
      continue;
    }
    if (ch === '{') depth += 1;
    if (ch === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      depth = Math.max(0, depth - 1);
    }
    i += 1;
  }
  return -1;
}

/** `"Hola {{ trigger.user }}!"` → text, expression, text. */
export function splitTemplate(text: string): TemplateSplit {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts.push({ kind: 'text', text: text.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'text', text: text.slice(i, open) });
    const close = closingBraces(text, open + 2);
    if (close < 0) return { ok: false, error: `'{{' at ${open} is never closed with '}}'` };
    const expr = text.slice(open + 2, close).trim();
    if (expr === '') return { ok: false, error: `empty expression '{{ }}' at ${open}` };
    parts.push({ kind: 'expr', expr });
    i = close + 2;
  }
  return { ok: true, parts };
}

export function isTemplate(text: string): boolean {
  return text.includes('{{');
}

/** The template is exactly one `{{ expr }}`: its value keeps its type (list, number, object). */
export function soleExpression(parts: readonly TemplatePart[]): string | undefined {
  const meaningful = parts.filter((p) => p.kind === 'expr' || p.text.trim() !== '');
  const only = meaningful.length === 1 ? meaningful[0] : undefined;
  return only?.kind === 'expr' ? only.expr : undefined;
}

/**
 * A condition or rule: one `{{ expr }}` or bare CEL (the seed writes both).
 * Returns the expression or why it is not one.
 */
export function expressionOf(text: string): { ok: true; expr: string } | { ok: false; error: string } {
  if (!isTemplate(text)) {
    return text.trim() === '' ? { ok: false, error: 'empty expression' } : { ok: true, expr: text.trim() };
  }
  const split = splitTemplate(text);
  if (!split.ok) return split;
  const expr = soleExpression(split.parts);
  return expr === undefined ? { ok: false, error: 'must be a single {{ expression }}, not text around it' } : { ok: true, expr };
}
