import { status } from '@grpc/grpc-js';
import { ErrorCode } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { errorOfGrpcStatus } from './grpc-status.mapper.js';
import { errorOfHttpStatus } from './http-status.mapper.js';

describe('errorOfHttpStatus', () => {
  it.each([
    [500, ErrorCode.INTERNAL, true],
    [502, ErrorCode.AGENT_UNAVAILABLE, true],
    [503, ErrorCode.AGENT_UNAVAILABLE, true],
    [429, ErrorCode.RATE_LIMITED, true],
    [408, ErrorCode.TIMEOUT, true],
    [401, ErrorCode.UNAUTHENTICATED, false],
    [413, ErrorCode.PAYLOAD_TOO_LARGE, false],
    [400, ErrorCode.INVALID_ARGUMENT, false],
  ])('%i → %s, retryable %s', (httpStatus, code, retryable) => {
    expect(errorOfHttpStatus(httpStatus, {})).toMatchObject({ code, retryable });
  });

  it("keeps a 4xx agent's own code and message, not retryable", () => {
    const err = errorOfHttpStatus(404, { code: 'NOT_FOUND', message: 'no such customer', details: { field: 'customer' } });
    expect(err).toMatchObject({ code: ErrorCode.NOT_FOUND, retryable: false, message: 'agent answered 404: no such customer' });
    expect(err.details).toMatchObject({ status: '404', agentCode: 'NOT_FOUND', field: 'customer' });
  });
});

describe('errorOfGrpcStatus', () => {
  it.each([
    [status.DEADLINE_EXCEEDED, ErrorCode.TIMEOUT, true],
    [status.UNAVAILABLE, ErrorCode.AGENT_UNAVAILABLE, true],
    [status.INTERNAL, ErrorCode.INTERNAL, true],
    [status.RESOURCE_EXHAUSTED, ErrorCode.RATE_LIMITED, true],
    [status.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, false],
    [status.UNIMPLEMENTED, ErrorCode.FAILED_PRECONDITION, false],
    [status.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED, false],
    [status.CANCELLED, ErrorCode.CANCELLED, false],
  ])('status %i → %s, retryable %s', (grpcStatus, code, retryable) => {
    expect(errorOfGrpcStatus({ code: grpcStatus, details: 'x' })).toMatchObject({ code, retryable });
  });
});
