import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { Optional } from '@marcbachmann/cel-js';
import { DYN, type FieldType } from '../field-type.js';

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toInteger(value: JsonValue): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value); // int64 in protobuf JSON
  return value;
}

function toDouble(value: JsonValue): unknown {
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  return value;
}

/**
 * JSON → the values CEL expects, following the declared type: integers become `bigint` (CEL
 * `int`), int64 strings too; `null` fields of typed objects count as absent (`has()` is false).
 * Untyped (`dyn`) parts keep JSON's meaning: every number is a double.
 */
export function toCel(value: JsonValue | undefined, type: FieldType = DYN): unknown {
  if (value === undefined || value === null) return value;
  switch (type.kind) {
    case 'scalar':
      if (type.scalar === 'int') return toInteger(value);
      if (type.scalar === 'double') return toDouble(value);
      return value;
    case 'enum':
      return value;
    case 'list':
      return Array.isArray(value) ? value.map((v) => toCel(v, type.element)) : toCel(value);
    case 'map':
    case 'object':
    case 'dyn':
      break;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(v));
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (type.kind === 'object') {
      if (v === null) continue;
      out[key] = toCel(v, type.fields[key] ?? DYN);
    } else {
      out[key] = toCel(v, type.kind === 'map' ? type.value : DYN);
    }
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function isBigIntBox(value: object): value is { valueOf(): bigint } {
  return typeof (value as { valueOf(): unknown }).valueOf() === 'bigint';
}

/** A CEL result → JSON: safe integers as numbers, larger ones as strings, bytes as base64. */
export function fromCel(value: unknown): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value === null) return null;
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : null;
  if (Array.isArray(value)) return value.map((v) => fromCel(v));
  if (value instanceof Uint8Array) return base64(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) {
    const out: JsonObject = {};
    for (const [k, v] of value) out[String(k)] = fromCel(v);
    return out;
  }
  if (isBigIntBox(value)) return fromCel(value.valueOf()); // uint
  if (Object.getPrototypeOf(value) !== Object.prototype) return String(value); // duration, type values
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromCel(v);
  return out;
}

/** A value as text inside a mixed template: strings as they are, null as nothing, the rest as JSON. */
export function celText(value: unknown): string {
  const json = fromCel(value);
  if (json === null) return '';
  return typeof json === 'string' ? json : JSON.stringify(json);
}
