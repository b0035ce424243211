import { ErrorCode } from '../gen/spine/common/v1/errors_pb.js';

export function assertNever(value: never): never {
  throw new Error(`unhandled value: ${String(value)}`);
}

/** HTTP status for an error code; also the `Nats-Service-Error-Code` header. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.INVALID_ARGUMENT:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.PERMISSION_DENIED:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404; // also another tenant's resource
    case ErrorCode.ALREADY_EXISTS:
      return 409;
    case ErrorCode.FAILED_PRECONDITION:
      return 412;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.BUDGET_EXCEEDED:
      return 429;
    case ErrorCode.CANCELLED:
      return 499;
    case ErrorCode.AGENT_UNAVAILABLE:
      return 503;
    case ErrorCode.DEADLINE_EXCEEDED:
    case ErrorCode.TIMEOUT:
      return 504;
    case ErrorCode.SCHEMA_VIOLATION:
      return 502;
    case ErrorCode.UNSPECIFIED:
    case ErrorCode.INTERNAL:
      return 500;
    default:
      return assertNever(code);
  }
}
