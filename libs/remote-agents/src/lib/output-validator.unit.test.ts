import { ErrorCode } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { OutputValidator } from './output-validator.js';

const schema = { type: 'object', required: ['answer'], properties: { answer: { type: 'string' }, items: { type: 'array', items: { type: 'integer' } } } };

describe('OutputValidator', () => {
  it('accepts a conforming output, from an object or a JSON string schema', () => {
    const v = new OutputValidator();
    expect(() => v.check(schema, { answer: 'ok', items: [1] })).not.toThrow();
    expect(() => v.check(JSON.stringify(schema), { answer: 'ok' })).not.toThrow();
  });

  it('reports a violation as SCHEMA_VIOLATION, not retryable, with the ajv path', () => {
    expect(() => new OutputValidator().check(schema, { answer: 'ok', items: [1, 'two'] })).toThrow(
      expect.objectContaining({ code: ErrorCode.SCHEMA_VIOLATION, retryable: false, details: expect.objectContaining({ path: '/items/1', keyword: 'type' }) }),
    );
    expect(() => new OutputValidator().check(schema, {})).toThrow(expect.objectContaining({ details: expect.objectContaining({ path: '/', keyword: 'required' }) }));
  });

  it('reports a broken schema as INVALID_ARGUMENT on outputSchema', () => {
    expect(() => new OutputValidator().check({ type: 'nope' }, 1)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT, details: { field: 'outputSchema' } }));
  });
});
