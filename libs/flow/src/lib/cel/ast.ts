import type { ASTNode } from '@marcbachmann/cel-js';
import type { FlowIssueCode } from '../flow.model.js';
import { compileRe2 } from './regex.js';

/** Macros that iterate: `list.all(x, p)`, `exists`, `exists_one`, `map`, `filter`. */
export const COMPREHENSIONS: ReadonlySet<string> = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** Operands of a node, in evaluation order (names and literals are leaves). */
export function childrenOf(node: ASTNode): ASTNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case 'call':
      return node.args[1];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'list':
      return node.args;
    case 'map':
      return node.args.flatMap(([k, v]) => [k, v]);
    case '!_':
    case '-_':
      return [node.args];
    default:
      return [...node.args];
  }
}

/** `xs.map(x, …)`: the iteration variable, when `node` is a comprehension. */
export function comprehensionVar(node: ASTNode): string | undefined {
  if (node.op !== 'rcall' || !COMPREHENSIONS.has(node.args[0])) return undefined;
  const first = node.args[2][0];
  return first?.op === 'id' ? first.args : undefined;
}

/** `cel.bind(name, value, body)`: the bound name. */
export function bindVar(node: ASTNode): string | undefined {
  if (node.op !== 'rcall' || node.args[0] !== 'bind') return undefined;
  const receiver = node.args[1];
  const first = node.args[2][0];
  return receiver.op === 'id' && receiver.args === 'cel' && first?.op === 'id' ? first.args : undefined;
}

/** Names read from outside the expression (comprehension and `cel.bind` variables excluded). */
export function freeIdentifiers(ast: ASTNode): Set<string> {
  const free = new Set<string>();
  const walk = (node: ASTNode, bound: ReadonlySet<string>): void => {
    if (node.op === 'id') {
      if (!bound.has(node.args) && node.args !== 'cel') free.add(node.args);
      return;
    }
    const local = comprehensionVar(node) ?? bindVar(node);
    if (node.op === 'rcall' && local !== undefined) {
      const [, receiver, args] = node.args;
      if (bindVar(node) === undefined) walk(receiver, bound);
      const inner = new Set(bound).add(local);
      // bind's value (args[1]) cannot see its own name; a comprehension's body can see the variable.
      args.slice(1).forEach((arg, i) => walk(arg, bindVar(node) !== undefined && i === 0 ? bound : inner));
      return;
    }
    for (const child of childrenOf(node)) walk(child, bound);
  };
  walk(ast, new Set());
  return free;
}

/** A chain of field selections rooted at a variable: `intent_classifier.entities.city`. */
export interface SelectPath {
  root: string;
  fields: string[];
  node: ASTNode;
}

/**
 * Every maximal `name.field.field` (or `name['field']`) chain on a free variable, so
 * references can be resolved against declared output types with a precise message.
 */
export function selectPaths(ast: ASTNode): SelectPath[] {
  const paths: SelectPath[] = [];
  const chainOf = (node: ASTNode): { root: string; fields: string[] } | undefined => {
    if (node.op === 'id') return { root: node.args, fields: [] };
    if (node.op === '.' || node.op === '.?') {
      const inner = chainOf(node.args[0]);
      return inner && { root: inner.root, fields: [...inner.fields, node.args[1]] };
    }
    if (node.op === '[]' && node.args[1].op === 'value' && typeof node.args[1].args === 'string') {
      const inner = chainOf(node.args[0]);
      return inner && { root: inner.root, fields: [...inner.fields, node.args[1].args] };
    }
    return undefined;
  };
  const walk = (node: ASTNode, bound: ReadonlySet<string>, parentIsChain: boolean): void => {
    const chain = chainOf(node);
    if (chain && !parentIsChain && chain.fields.length > 0 && !bound.has(chain.root)) {
      paths.push({ ...chain, node });
    }
    const local = comprehensionVar(node) ?? bindVar(node);
    const inner = local === undefined ? bound : new Set(bound).add(local);
    for (const child of childrenOf(node)) walk(child, inner, chain !== undefined && child === childrenOf(node)[0]);
  };
  walk(ast, new Set(), false);
  return paths;
}

/** Nested quantifiers (`(a+)+`): harmless under RE2, still refused as a sign of a pattern written for a backtracking engine. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

/**
 * Why a `matches()` call is refused, if it is: the pattern must be a literal (so it is checked
 * here), RE2 must compile it (no backreferences or lookaround: it runs on RE2, in linear time),
 * and it must not nest quantifiers.
 */
export function regexProblems(ast: ASTNode): { code: FlowIssueCode; message: string }[] {
  const problems: { code: FlowIssueCode; message: string }[] = [];
  const visit = (node: ASTNode): void => {
    const isMatches = (node.op === 'rcall' || node.op === 'call') && node.args[0] === 'matches';
    if (isMatches) {
      const args = node.op === 'rcall' ? node.args[2] : node.args[1];
      const pattern = args[args.length - 1];
      const re2 = pattern?.op === 'value' && typeof pattern.args === 'string' ? compileRe2(pattern.args) : undefined;
      if (pattern?.op !== 'value' || typeof pattern.args !== 'string') {
        problems.push({ code: 'CEL_LIMIT', message: 'matches() takes a literal pattern only' });
      } else if (re2 && !re2.ok) {
        problems.push({ code: 'CEL_REGEX', message: `matches() pattern '${pattern.args}' is not RE2 syntax (no backreferences or lookaround): ${re2.error}` });
      } else if (NESTED_QUANTIFIER.test(pattern.args)) {
        problems.push({ code: 'CEL_LIMIT', message: `matches() pattern '${pattern.args}' nests quantifiers and could run for exponential time` });
      }
    }
    for (const child of childrenOf(node)) visit(child);
  };
  visit(ast);
  return problems;
}
