import { Environment, type EnvironmentOptions } from '@marcbachmann/cel-js';
import { DYN, type FieldType } from '../field-type.js';
import { RE2_MATCHES, re2Matches } from './regex.js';

/** Bounds on one expression; exceeding any of them is a deploy error or a refused evaluation. */
export interface ExpressionLimits {
  /** Characters of the expression as written. */
  maxLength: number;
  /** Estimated evaluation steps (see cel/sandbox.ts). */
  maxCost: number;
  /** Length assumed at deploy time for every upstream list, map or string. */
  assumedSize: number;
  maxAstNodes: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: ExpressionLimits = {
  maxLength: 2_048,
  maxCost: 1_000_000,
  assumedSize: 100,
  maxAstNodes: 512,
  maxDepth: 32,
};

function envOptions(limits: ExpressionLimits, dyn: boolean): EnvironmentOptions {
  return {
    unlistedVariablesAreDyn: dyn,
    homogeneousAggregateLiterals: false,
    limits: { maxAstNodes: limits.maxAstNodes, maxDepth: limits.maxDepth, maxListElements: 256, maxMapEntries: 256, maxCallArguments: 16 },
  };
}

const runtimeEnvs = new Map<string, Environment>();

/**
 * The environment expressions run in: every variable is `dyn` because the typed check already
 * happened at deploy time, and values are plain JSON (see cel/values.ts). No function reaches
 * outside the process: cel-js has no I/O built in and Spine registers none. `matches` runs on
 * RE2 (see cel/regex.ts).
 */
export function runtimeEnvironment(limits: ExpressionLimits = DEFAULT_LIMITS): Environment {
  const key = `${limits.maxAstNodes}:${limits.maxDepth}`;
  let env = runtimeEnvs.get(key);
  if (!env) {
    env = new Environment(envOptions(limits, true))
      .registerFunction(`string.${RE2_MATCHES}(string): bool`, re2Matches)
      .registerFunction(`${RE2_MATCHES}(string, string): bool`, re2Matches);
    runtimeEnvs.set(key, env);
  }
  return env;
}

/**
 * A deploy-time environment whose variables carry the declared types of upstream outputs,
 * so a wrong field or operator is caught before anything runs. Objects become named CEL types.
 */
export class TypedEnvironment {
  readonly env: Environment;
  private readonly typeByName = new Map<string, FieldType>();
  private readonly names = new Set<string>();

  constructor(variables: ReadonlyMap<string, FieldType>, limits: ExpressionLimits = DEFAULT_LIMITS) {
    this.env = new Environment(envOptions(limits, false));
    for (const [name, type] of variables) this.env.registerVariable(name, this.celType(type, name));
  }

  private uniqueName(hint: string): string {
    const base = `${hint.replace(/[^A-Za-z0-9_]/g, '_')}_t`;
    let name = base;
    for (let i = 2; this.names.has(name); i += 1) name = `${base}${i}`;
    this.names.add(name);
    return name;
  }

  private celType(type: FieldType, hint: string): string {
    switch (type.kind) {
      case 'scalar':
        return type.scalar === 'null' ? 'null_type' : type.scalar;
      case 'enum':
        return 'string';
      case 'dyn':
        return 'dyn';
      case 'list':
        return `list<${this.celType(type.element, `${hint}_item`)}>`;
      case 'map':
        return `map<string, ${this.celType(type.value, `${hint}_value`)}>`;
      case 'object': {
        const name = this.uniqueName(hint);
        const fields: Record<string, string> = {};
        for (const [field, t] of Object.entries(type.fields)) fields[field] = this.celType(t, `${hint}_${field}`);
        this.env.registerType(name, { fields });
        this.typeByName.set(name, type);
        return name;
      }
    }
  }

  /** Back from a checked CEL type name (`list<intake_t>`) to a field type. */
  fieldTypeOf(celType: string): FieldType {
    return parseCelType(celType.trim(), this.typeByName);
  }
}

function splitTypeArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '<') depth += 1;
    if (text[i] === '>') depth -= 1;
    if (text[i] === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(text.slice(start).trim());
  return args;
}

function parseCelType(text: string, named: ReadonlyMap<string, FieldType>): FieldType {
  const generic = /^(\w+)<(.*)>$/.exec(text);
  if (generic) {
    const args = splitTypeArgs(generic[2] as string).map((a) => parseCelType(a, named));
    if (generic[1] === 'list') return { kind: 'list', element: args[0] ?? DYN };
    if (generic[1] === 'map') return { kind: 'map', value: args[1] ?? DYN };
    return DYN;
  }
  switch (text) {
    case 'string':
    case 'int':
    case 'double':
    case 'bool':
      return { kind: 'scalar', scalar: text };
    case 'uint':
      return { kind: 'scalar', scalar: 'int' };
    case 'null_type':
      return { kind: 'scalar', scalar: 'null' };
    case 'list':
      return { kind: 'list', element: DYN };
    case 'map':
      return { kind: 'map', value: DYN };
    default:
      return named.get(text) ?? DYN;
  }
}
