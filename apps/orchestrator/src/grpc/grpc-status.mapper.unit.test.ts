import { fromBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { ErrorCode, ErrorSchema, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { ERROR_TRAILER, grpcStatusOf, statusOfError } from './grpc-status.mapper.js';

describe('grpcStatusOf', () => {
  it.each([
    [ErrorCode.INVALID_ARGUMENT, status.INVALID_ARGUMENT],
    [ErrorCode.NOT_FOUND, status.NOT_FOUND],
    [ErrorCode.ALREADY_EXISTS, status.ALREADY_EXISTS],
    [ErrorCode.PERMISSION_DENIED, status.PERMISSION_DENIED],
    [ErrorCode.UNAUTHENTICATED, status.UNAUTHENTICATED],
    [ErrorCode.FAILED_PRECONDITION, status.FAILED_PRECONDITION],
    [ErrorCode.RATE_LIMITED, status.RESOURCE_EXHAUSTED],
    [ErrorCode.BUDGET_EXCEEDED, status.RESOURCE_EXHAUSTED],
    [ErrorCode.PAYLOAD_TOO_LARGE, status.RESOURCE_EXHAUSTED],
    [ErrorCode.AGENT_UNAVAILABLE, status.UNAVAILABLE],
    [ErrorCode.DEADLINE_EXCEEDED, status.DEADLINE_EXCEEDED],
    [ErrorCode.TIMEOUT, status.DEADLINE_EXCEEDED],
    [ErrorCode.CANCELLED, status.CANCELLED],
    [ErrorCode.SCHEMA_VIOLATION, status.INTERNAL],
    [ErrorCode.INTERNAL, status.INTERNAL],
    [ErrorCode.UNSPECIFIED, status.INTERNAL],
  ])('maps %s to %s', (code, expected) => {
    expect(grpcStatusOf(code)).toBe(expected);
  });
});

describe('statusOfError', () => {
  it('carries the code name and the whole Spine error, details included, in the trailers', () => {
    const s = statusOfError(SpineError.invalid('invalid flow: 1 problem', { 'nodes[0].agent': 'UNKNOWN_AGENT: no agent x' }));
    expect(s).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'invalid flow: 1 problem' });
    expect(s.metadata?.get('spine-error-code')).toEqual(['INVALID_ARGUMENT']);
    const error = fromBinary(ErrorSchema, s.metadata?.get(ERROR_TRAILER)[0] as Buffer);
    expect(error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, details: { 'nodes[0].agent': 'UNKNOWN_AGENT: no agent x' } });
  });

  it('hides what an unexpected exception says', () => {
    expect(statusOfError(new Error('password=hunter2'))).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
  });
});
