import type { ASTNode } from '@marcbachmann/cel-js';
import { bindVar, childrenOf, comprehensionVar } from './ast.js';

/** `cost`: evaluation steps; `size`: bound on the length of any list, map or string in the value. */
export interface CostEstimate {
  cost: number;
  size: number;
}

function literalSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof Uint8Array) return value.length;
  return 1;
}

/**
 * An upper bound on the work an expression does, given a bound on the size of each variable.
 * A comprehension costs its body once per element; `+` copies; `cel.bind` carries its value's
 * size. CEL has no loops or recursion, so this bound is finite and cheap to compute (one pass).
 */
export function estimateCost(ast: ASTNode, sizeOf: (name: string) => number): CostEstimate {
  const walk = (node: ASTNode, scope: ReadonlyMap<string, number>): CostEstimate => {
    if (node.op === 'value') return { cost: 1, size: literalSize(node.args) };
    if (node.op === 'id') return { cost: 1, size: scope.get(node.args) ?? sizeOf(node.args) };

    const iterVar = comprehensionVar(node);
    if (node.op === 'rcall' && iterVar !== undefined) {
      const [name, receiver, args] = node.args;
      const over = walk(receiver, scope);
      const inner = new Map(scope).set(iterVar, over.size);
      const body = args.slice(1).map((a) => walk(a, inner));
      const perItem = body.reduce((sum, e) => sum + e.cost, 1);
      const itemSize = Math.max(1, ...body.map((e) => e.size));
      const size = name === 'map' ? Math.max(over.size, itemSize) : name === 'filter' ? over.size : 1;
      return { cost: over.cost + over.size * perItem, size };
    }
    const bound = bindVar(node);
    if (node.op === 'rcall' && bound !== undefined) {
      const [valueNode, body] = node.args[2].slice(1) as [ASTNode, ASTNode];
      const value = walk(valueNode, scope);
      const result = walk(body, new Map(scope).set(bound, value.size));
      return { cost: value.cost + result.cost, size: result.size };
    }

    const parts = childrenOf(node).map((c) => walk(c, scope));
    const cost = parts.reduce((sum, e) => sum + e.cost, 1);
    const total = parts.reduce((sum, e) => sum + e.size, 0);
    const largest = Math.max(1, ...parts.map((e) => e.size));
    if (node.op === 'rcall' && node.args[0] === 'join') {
      // n strings of up to n characters and n separators: joining multiplies sizes (split's pieces add up to its string)
      const n = parts[0]?.size ?? 1;
      const separator = parts[1]?.size ?? 0;
      const receiver = node.args[1];
      const pieces = receiver.op === 'rcall' && receiver.args[0] === 'split' ? n : n * n;
      const size = pieces + n * separator;
      return { cost: cost + size, size };
    }
    switch (node.op) {
      case '+': // concatenation copies both sides
        return { cost: cost + total, size: total };
      case 'list':
      case 'map':
        return { cost, size: Math.max(parts.length, largest) };
      case 'call':
      case 'rcall': // string and list functions scan their arguments
        return { cost: cost + total, size: total };
      case '?:':
        return { cost, size: Math.max(parts[1]?.size ?? 1, parts[2]?.size ?? 1) };
      case '.':
      case '.?':
      case '[]':
      case '[?]':
        return { cost, size: parts[0]?.size ?? 1 };
      default:
        return { cost, size: 1 };
    }
  };
  return walk(ast, new Map());
}

const sizeCache = new WeakMap<object, number>();

/** The length of the longest list, map or string inside a JSON-like value. */
export function valueSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 1;
  const cached = sizeCache.get(value);
  if (cached !== undefined) return cached;
  const items: unknown[] = Array.isArray(value)
    ? value
    : value instanceof Map
      ? [...value.values()]
      : value instanceof Uint8Array
        ? []
        : Object.values(value);
  let size = Math.max(1, value instanceof Uint8Array ? value.length : items.length);
  if (!Array.isArray(value) && !(value instanceof Map)) for (const key of Object.keys(value)) size = Math.max(size, key.length);
  for (const item of items) size = Math.max(size, valueSize(item));
  sizeCache.set(value, size);
  return size;
}
