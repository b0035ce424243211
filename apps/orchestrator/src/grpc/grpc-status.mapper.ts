import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { assertNever, ErrorCode, errorCodeName, Header, SpineError } from '@spine/contracts';

/** The `-bin` trailer carrying the whole spine.common.v1.Error (code, message, details, retryable). */
export const ERROR_TRAILER = 'spine-error-bin';

export function grpcStatusOf(code: ErrorCode): status {
  switch (code) {
    case ErrorCode.INVALID_ARGUMENT:
      return status.INVALID_ARGUMENT;
    case ErrorCode.NOT_FOUND:
      return status.NOT_FOUND; // also another tenant's resource
    case ErrorCode.ALREADY_EXISTS:
      return status.ALREADY_EXISTS;
    case ErrorCode.PERMISSION_DENIED:
      return status.PERMISSION_DENIED;
    case ErrorCode.UNAUTHENTICATED:
      return status.UNAUTHENTICATED;
    case ErrorCode.FAILED_PRECONDITION:
      return status.FAILED_PRECONDITION;
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.BUDGET_EXCEEDED:
    case ErrorCode.PAYLOAD_TOO_LARGE: // what grpc-js itself answers to an oversized message
      return status.RESOURCE_EXHAUSTED;
    case ErrorCode.AGENT_UNAVAILABLE:
      return status.UNAVAILABLE;
    case ErrorCode.DEADLINE_EXCEEDED:
    case ErrorCode.TIMEOUT:
      return status.DEADLINE_EXCEEDED;
    case ErrorCode.CANCELLED:
      return status.CANCELLED;
    case ErrorCode.SCHEMA_VIOLATION: // an agent broke its own contract: the server's fault, not the caller's
    case ErrorCode.UNSPECIFIED:
    case ErrorCode.INTERNAL:
      return status.INTERNAL;
    default:
      return assertNever(code);
  }
}

/** The status a failed call ends with: mapped code, message, and the Spine error in trailers. */
export function statusOfError(err: unknown): Partial<StatusObject> {
  const error = SpineError.from(err);
  const metadata = new Metadata();
  metadata.set(Header.ErrorCode, errorCodeName(error.code));
  metadata.set(ERROR_TRAILER, Buffer.from(error.toBinary()));
  return { code: grpcStatusOf(error.code), details: error.message, metadata };
}
