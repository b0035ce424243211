import { AgentCardSchema, ErrorSchema, IntakeOutputSchema, ToolCallsOutputSchema } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { describeFieldType, fieldTypeOfJsonSchema, fieldTypeOfMessage } from './field-type.js';

describe('field types from protobuf messages', () => {
  it('uses JSON names and CEL scalar types', () => {
    expect(describeFieldType(fieldTypeOfMessage(IntakeOutputSchema))).toBe(
      '{ text: string, language: string, tenantId: string, userId: string, roles: list<string>, sessionId: string, languageConfidence: double }',
    );
  });

  it('describes enums by value name, maps, nested and repeated messages, well-known types', () => {
    const card = fieldTypeOfMessage(AgentCardSchema);
    expect(card.kind === 'object' && describeFieldType(card.fields['transport'] ?? { kind: 'dyn' })).toBe(
      "enum('TRANSPORT_UNSPECIFIED', 'TRANSPORT_NATS', 'TRANSPORT_HTTP', 'TRANSPORT_GRPC', 'TRANSPORT_A2A')",
    );
    expect(card.kind === 'object' && describeFieldType(card.fields['labels'] ?? { kind: 'dyn' })).toBe('map<string, string>');
    expect(card.kind === 'object' && describeFieldType(card.fields['limits'] ?? { kind: 'dyn' })).toBe('{ maxConcurrency: int, timeoutMs: int }');
    const results = fieldTypeOfMessage(ToolCallsOutputSchema);
    expect(describeFieldType(results)).toMatch(/^\{ results: list<\{ tool: string, callIndex: int, ok: bool, result: map<string, dyn>, error: \{ code: string/);
    expect(describeFieldType(fieldTypeOfMessage(ErrorSchema))).toMatch(/code: enum\('ERROR_CODE_UNSPECIFIED'/);
  });
});

describe('field types from JSON Schema', () => {
  it('closes objects that list properties, keeps the others open', () => {
    expect(
      fieldTypeOfJsonSchema({
        type: 'object',
        properties: {
          intent: { enum: ['queja', 'otro'] },
          confidence: { type: 'number' },
          count: { type: ['integer', 'null'] },
          tags: { type: 'array', items: { type: 'string' } },
          entities: { type: 'object' },
          scores: { type: 'object', additionalProperties: { type: 'number' } },
          any: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        },
        required: ['intent'],
      }),
    ).toEqual({
      kind: 'object',
      fields: {
        intent: { kind: 'enum', values: ['queja', 'otro'] },
        confidence: { kind: 'scalar', scalar: 'double' },
        count: { kind: 'scalar', scalar: 'int' },
        tags: { kind: 'list', element: { kind: 'scalar', scalar: 'string' } },
        entities: { kind: 'map', value: { kind: 'dyn' } },
        scores: { kind: 'map', value: { kind: 'scalar', scalar: 'double' } },
        any: { kind: 'dyn' },
      },
      required: ['intent'],
    });
    expect(fieldTypeOfJsonSchema({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true })).toEqual({ kind: 'map', value: { kind: 'dyn' } });
    expect(fieldTypeOfJsonSchema(undefined)).toEqual({ kind: 'dyn' });
  });
});
