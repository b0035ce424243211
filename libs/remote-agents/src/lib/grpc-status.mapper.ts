import { status, type ServiceError } from '@grpc/grpc-js';
import { ErrorCode, SpineError, assertNever } from '@spine/contracts';

/** A failed gRPC call as a SpineError. Agent-reported failures arrive in InvokeResponse.error instead. */
export function errorOfGrpcStatus(err: Pick<ServiceError, 'code' | 'details'>): SpineError {
  const [code, retryable] = codeOf(err.code);
  return new SpineError(code, `agent call failed: ${status[err.code] ?? err.code}${err.details ? `: ${err.details}` : ''}`, { grpcStatus: String(err.code) }, retryable);
}

function codeOf(code: status): [ErrorCode, boolean] {
  switch (code) {
    case status.DEADLINE_EXCEEDED:
      return [ErrorCode.TIMEOUT, true];
    case status.UNAVAILABLE:
      return [ErrorCode.AGENT_UNAVAILABLE, true];
    case status.RESOURCE_EXHAUSTED:
      return [ErrorCode.RATE_LIMITED, true];
    case status.UNKNOWN:
    case status.INTERNAL:
    case status.ABORTED:
    case status.DATA_LOSS:
      return [ErrorCode.INTERNAL, true];
    case status.CANCELLED:
      return [ErrorCode.CANCELLED, false];
    case status.INVALID_ARGUMENT:
    case status.OUT_OF_RANGE:
      return [ErrorCode.INVALID_ARGUMENT, false];
    case status.NOT_FOUND:
      return [ErrorCode.NOT_FOUND, false];
    case status.ALREADY_EXISTS:
      return [ErrorCode.ALREADY_EXISTS, false];
    case status.PERMISSION_DENIED:
      return [ErrorCode.PERMISSION_DENIED, false];
    case status.UNAUTHENTICATED:
      return [ErrorCode.UNAUTHENTICATED, false];
    case status.FAILED_PRECONDITION:
      return [ErrorCode.FAILED_PRECONDITION, false];
    case status.UNIMPLEMENTED:
      return [ErrorCode.FAILED_PRECONDITION, false]; // the agent does not implement AgentService
    case status.OK:
      return [ErrorCode.INTERNAL, false];
    default:
      return assertNever(code);
  }
}
