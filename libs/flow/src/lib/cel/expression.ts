import type { ASTNode } from '@marcbachmann/cel-js';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { FlowIssueCode } from '../flow.model.js';
import { freeIdentifiers, regexProblems } from './ast.js';
import { DEFAULT_LIMITS, runtimeEnvironment, type ExpressionLimits } from './cel-env.js';
import { rewriteReferences, type NameTable } from './references.js';
import { useRe2 } from './regex.js';
import { estimateCost, valueSize } from './sandbox.js';

export interface ExpressionIssue {
  code: FlowIssueCode;
  message: string;
}

/** A parsed expression, ready to type-check (deploy) or to run (executor). */
export interface CompiledExpression {
  /** As written, without `{{ }}`. */
  readonly source: string;
  /** With hyphenated node ids replaced by their CEL names. */
  readonly rewritten: string;
  /** Node ids the expression names. */
  readonly nodes: readonly string[];
  /** CEL identifiers it reads from outside (node names, trigger, context, input, …). */
  readonly free: ReadonlySet<string>;
  readonly ast: ASTNode;
  readonly run: (bindings: Record<string, unknown>) => unknown;
}

export type CompileResult = { ok: true; expression: CompiledExpression } | { ok: false; issues: ExpressionIssue[] };

interface CelErrorLike {
  summary?: string;
  code?: string;
  message: string;
  range?: { start: number };
}

function isCelError(err: unknown): err is CelErrorLike {
  return err instanceof Error;
}

/** `Unexpected token: EOF (at 25)`, with hyphenated ids put back. */
export function celErrorMessage(err: unknown, names: NameTable): string {
  if (!isCelError(err)) return String(err);
  const summary = err.summary ?? err.message.split('\n')[0] ?? err.message;
  const at = err.range ? ` (at ${err.range.start})` : '';
  return names.restore(`${summary}${at}`);
}

/**
 * Parses one expression within the sandbox limits: length, AST size and depth, and only
 * literal, non-nesting `matches()` patterns. Node ids with hyphens are rewritten first.
 */
export function compileExpression(source: string, names: NameTable, limits: ExpressionLimits = DEFAULT_LIMITS): CompileResult {
  if (source.length > limits.maxLength) {
    return { ok: false, issues: [{ code: 'CEL_LIMIT', message: `expression is ${source.length} characters long; the limit is ${limits.maxLength}` }] };
  }
  const rewritten = rewriteReferences(source, names);
  if (rewritten.unknown.length > 0) {
    const issues = rewritten.unknown.map((name): ExpressionIssue => ({ code: 'UNKNOWN_REFERENCE', message: `'${name}' names no node of this flow` }));
    return { ok: false, issues };
  }
  let parsed: ReturnType<ReturnType<typeof runtimeEnvironment>['parse']>;
  try {
    parsed = runtimeEnvironment(limits).parse(rewritten.expr);
  } catch (err) {
    const code: FlowIssueCode = isCelError(err) && err.code === 'limit_exceeded' ? 'CEL_LIMIT' : 'CEL_SYNTAX';
    return { ok: false, issues: [{ code, message: `${celErrorMessage(err, names)} in '${source}'` }] };
  }
  const unsafe = regexProblems(parsed.ast);
  if (unsafe.length > 0) return { ok: false, issues: unsafe };
  useRe2(parsed.ast);
  const run = (bindings: Record<string, unknown>): unknown => parsed(bindings) as unknown;
  return {
    ok: true,
    expression: { source, rewritten: rewritten.expr, nodes: rewritten.nodes, free: freeIdentifiers(parsed.ast), ast: parsed.ast, run },
  };
}

/** Deploy-time cost bound: every upstream list, map and string assumed `limits.assumedSize` long. */
export function costIssue(expression: CompiledExpression, limits: ExpressionLimits = DEFAULT_LIMITS): ExpressionIssue | undefined {
  const { cost } = estimateCost(expression.ast, () => limits.assumedSize);
  if (cost <= limits.maxCost) return undefined;
  return {
    code: 'CEL_LIMIT',
    message: `'${expression.source}' may take ~${formatCost(cost)} steps with ${limits.assumedSize}-element inputs; the limit is ${formatCost(limits.maxCost)}`,
  };
}

function formatCost(cost: number): string {
  return Number.isFinite(cost) ? Math.round(cost).toExponential(1) : 'unbounded';
}

/**
 * Runs an expression on actual values. The cost bound is computed from the sizes of the values
 * bound, before anything runs: an expression that could exceed it is refused, not started.
 */
export function evaluateExpression(
  expression: CompiledExpression,
  bindings: Record<string, unknown>,
  names: NameTable,
  limits: ExpressionLimits = DEFAULT_LIMITS,
): unknown {
  const { cost } = estimateCost(expression.ast, (name) => valueSize(bindings[name]));
  if (cost > limits.maxCost) {
    throw new SpineError(ErrorCode.INVALID_ARGUMENT, `expression '${expression.source}' refused: it may take ~${formatCost(cost)} steps on these inputs (limit ${formatCost(limits.maxCost)})`, {
      reason: 'CEL_COST',
      expression: expression.source,
    });
  }
  try {
    return expression.run(bindings);
  } catch (err) {
    throw new SpineError(ErrorCode.INVALID_ARGUMENT, `expression '${expression.source}' failed: ${celErrorMessage(err, names)}`, {
      reason: 'CEL_EVAL',
      expression: expression.source,
    });
  }
}
