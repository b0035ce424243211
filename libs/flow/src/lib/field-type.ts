import { ScalarType, type DescEnum, type DescField, type DescMessage, type JsonValue } from '@bufbuild/protobuf';

export type ScalarKind = 'string' | 'int' | 'double' | 'bool' | 'null';

/**
 * The shape of a value as templates and conditions see it: the JSON view of a node's output.
 * `object` is closed (a reference to an undeclared field is an error); `map` and `dyn` are not checked.
 */
export type FieldType =
  | { kind: 'scalar'; scalar: ScalarKind }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; element: FieldType }
  | { kind: 'map'; value: FieldType }
  | { kind: 'object'; fields: Readonly<Record<string, FieldType>>; required?: readonly string[] }
  | { kind: 'dyn' };

export const DYN: FieldType = { kind: 'dyn' };
export const STRING: FieldType = { kind: 'scalar', scalar: 'string' };
export const INT: FieldType = { kind: 'scalar', scalar: 'int' };
export const DOUBLE: FieldType = { kind: 'scalar', scalar: 'double' };
export const BOOL: FieldType = { kind: 'scalar', scalar: 'bool' };
export const OPEN_MAP: FieldType = { kind: 'map', value: DYN };

export function objectType(fields: Record<string, FieldType>, required?: readonly string[]): FieldType {
  return required ? { kind: 'object', fields, required } : { kind: 'object', fields };
}

// Well-known types as protobuf JSON writes them.
const WELL_KNOWN: Record<string, FieldType> = {
  'google.protobuf.Struct': OPEN_MAP,
  'google.protobuf.Value': DYN,
  'google.protobuf.ListValue': { kind: 'list', element: DYN },
  'google.protobuf.Any': OPEN_MAP,
  'google.protobuf.Timestamp': STRING,
  'google.protobuf.Duration': STRING,
  'google.protobuf.FieldMask': STRING,
  'google.protobuf.Empty': objectType({}),
  'google.protobuf.StringValue': STRING,
  'google.protobuf.BytesValue': STRING,
  'google.protobuf.BoolValue': BOOL,
  'google.protobuf.DoubleValue': DOUBLE,
  'google.protobuf.FloatValue': DOUBLE,
  'google.protobuf.Int32Value': INT,
  'google.protobuf.Int64Value': INT,
  'google.protobuf.UInt32Value': INT,
  'google.protobuf.UInt64Value': INT,
};

// Unsigned and 64-bit integers are CEL `int` too, so `count > 1` type-checks without `1u`;
// 64-bit values arrive as JSON strings and become integers when bound (see cel/values.ts).
function scalarFieldType(scalar: ScalarType): FieldType {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES: // base64 in JSON
      return STRING;
    case ScalarType.BOOL:
      return BOOL;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return DOUBLE;
    default:
      return INT;
  }
}

function enumFieldType(desc: DescEnum): FieldType {
  return { kind: 'enum', values: desc.values.map((v) => v.name) };
}

function elementType(field: DescField, seen: ReadonlySet<string>): FieldType {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarFieldType(field.scalar);
    case 'enum':
      return enumFieldType(field.enum);
    case 'message':
      return messageType(field.message, seen);
    case 'list':
      if (field.listKind === 'scalar') return { kind: 'list', element: scalarFieldType(field.scalar) };
      if (field.listKind === 'enum') return { kind: 'list', element: enumFieldType(field.enum) };
      return { kind: 'list', element: messageType(field.message, seen) };
    case 'map':
      if (field.mapKind === 'scalar') return { kind: 'map', value: scalarFieldType(field.scalar) };
      if (field.mapKind === 'enum') return { kind: 'map', value: enumFieldType(field.enum) };
      return { kind: 'map', value: messageType(field.message, seen) };
  }
}

function messageType(desc: DescMessage, seen: ReadonlySet<string>): FieldType {
  const known = WELL_KNOWN[desc.typeName];
  if (known) return known;
  if (seen.has(desc.typeName)) return DYN; // recursive message: stop describing
  const inner = new Set(seen).add(desc.typeName);
  const fields: Record<string, FieldType> = {};
  for (const field of desc.fields) fields[field.jsonName] = elementType(field, inner);
  return objectType(fields);
}

/**
 * The JSON view of a protobuf message type (field names as `toJson` writes them, lowerCamelCase).
 * Built-in agents declare their outputs this way.
 */
export function fieldTypeOfMessage(desc: DescMessage): FieldType {
  return messageType(desc, new Set());
}

function isRecord(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonSchemaTypeName(schema: Record<string, JsonValue>): string | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t.filter((x): x is string => typeof x === 'string' && x !== 'null');
    return named.length === 1 ? named[0] : undefined;
  }
  return undefined;
}

/**
 * The value type a JSON Schema describes, as far as templates need it. An object with
 * `properties` is closed unless `additionalProperties` allows more; without `properties`
 * it is an open map. `$ref`, `anyOf`, `oneOf` and mixed types are not followed: `dyn`.
 */
export function fieldTypeOfJsonSchema(schema: JsonValue | undefined): FieldType {
  if (!isRecord(schema)) return DYN;
  const values = schema['enum'];
  if (Array.isArray(values)) {
    return values.every((v) => typeof v === 'string') ? { kind: 'enum', values: values as string[] } : DYN;
  }
  if (typeof schema['const'] === 'string') return { kind: 'enum', values: [schema['const']] };
  const type = jsonSchemaTypeName(schema) ?? (isRecord(schema['properties']) ? 'object' : undefined);
  switch (type) {
    case 'string':
      return STRING;
    case 'integer':
      return INT;
    case 'number':
      return DOUBLE;
    case 'boolean':
      return BOOL;
    case 'null':
      return { kind: 'scalar', scalar: 'null' };
    case 'array':
      return { kind: 'list', element: fieldTypeOfJsonSchema(schema['items']) };
    case 'object':
      return objectOfJsonSchema(schema);
    default:
      return DYN;
  }
}

function objectOfJsonSchema(schema: Record<string, JsonValue>): FieldType {
  const properties = schema['properties'];
  const additional = schema['additionalProperties'];
  if (!isRecord(properties) || Object.keys(properties).length === 0) {
    return { kind: 'map', value: isRecord(additional) ? fieldTypeOfJsonSchema(additional) : DYN };
  }
  if (additional === true || isRecord(additional)) return OPEN_MAP;
  const fields: Record<string, FieldType> = {};
  for (const [name, sub] of Object.entries(properties)) fields[name] = fieldTypeOfJsonSchema(sub);
  const required = Array.isArray(schema['required'])
    ? schema['required'].filter((x): x is string => typeof x === 'string')
    : undefined;
  return objectType(fields, required);
}

/** `{ intent: enum, confidence: double }`, for messages. */
export function describeFieldType(type: FieldType): string {
  switch (type.kind) {
    case 'scalar':
      return type.scalar;
    case 'enum':
      return `enum(${type.values.map((v) => `'${v}'`).join(', ')})`;
    case 'list':
      return `list<${describeFieldType(type.element)}>`;
    case 'map':
      return `map<string, ${describeFieldType(type.value)}>`;
    case 'dyn':
      return 'dyn';
    case 'object': {
      const fields = Object.entries(type.fields).map(([name, t]) => `${name}: ${describeFieldType(t)}`);
      return `{ ${fields.join(', ')} }`;
    }
  }
}

/** The field names of an object type, for "did you mean" style messages. */
export function fieldNames(type: FieldType): string[] {
  return type.kind === 'object' ? Object.keys(type.fields) : [];
}
