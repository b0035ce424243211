import { create, fromJson, toJson, type JsonValue } from '@bufbuild/protobuf';
import { anyIs, anyPack, anyUnpack, StructSchema, ValueSchema, type Any } from '@bufbuild/protobuf/wkt';

/**
 * gRPC agents carry JSON in `InvokeRequest.input` / `InvokeResponse.output` as a
 * `google.protobuf.Value` packed in the Any (a `google.protobuf.Struct` is also read).
 * `context` and `config` are plain `google.protobuf.Struct` fields.
 */
export function packJson(value: unknown): Any {
  return anyPack(ValueSchema, fromJson(ValueSchema, toJsonValue(value)));
}

/** The JSON inside an Any; `undefined` for an empty Any. Throws on any other packed type. */
export function unpackJson(any: Any | undefined): unknown {
  if (!any || any.typeUrl === '') return undefined;
  if (anyIs(any, ValueSchema)) return toJson(ValueSchema, anyUnpack(any, ValueSchema) ?? create(ValueSchema));
  if (anyIs(any, StructSchema)) return toJson(StructSchema, anyUnpack(any, StructSchema) ?? create(StructSchema));
  throw new TypeError(`expected google.protobuf.Value or Struct, got ${any.typeUrl}`);
}

/** Round-trips through JSON so `undefined`, Dates and class instances become plain JSON. */
export function toJsonValue(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}
