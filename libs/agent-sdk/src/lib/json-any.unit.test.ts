import { anyPack, StructSchema } from '@bufbuild/protobuf/wkt';
import { create } from '@bufbuild/protobuf';
import { UsageSchema } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { packJson, unpackJson } from './json-any.js';

describe('packJson / unpackJson', () => {
  it.each([[{ a: 1, b: [true, null, 'x'] }], [[1, 2]], ['text'], [42], [null]])('round-trips %j', (value) => {
    expect(unpackJson(packJson(value))).toEqual(value);
  });

  it('reads a packed Struct and an empty Any', () => {
    expect(unpackJson(anyPack(StructSchema, { $typeName: 'google.protobuf.Struct', fields: {} }))).toEqual({});
    expect(unpackJson(undefined)).toBeUndefined();
  });

  it('refuses any other packed type', () => {
    expect(() => unpackJson(anyPack(UsageSchema, create(UsageSchema)))).toThrow(/expected google.protobuf.Value or Struct/);
  });
});
