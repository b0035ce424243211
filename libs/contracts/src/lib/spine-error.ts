import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ErrorCode, ErrorSchema, type Error as ErrorMessage } from '../gen/spine/common/v1/errors_pb.js';

/** Codes a caller may retry: the same request can succeed later. */
const RETRYABLE = new Set<ErrorCode>([ErrorCode.AGENT_UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.TIMEOUT, ErrorCode.RATE_LIMITED]);

/** The one error type services throw; every transport maps its code once. */
export class SpineError extends Error {
  override readonly name = 'SpineError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, string> = {},
    readonly retryable: boolean = RETRYABLE.has(code),
  ) {
    super(message);
  }

  static invalid(message: string, details?: Record<string, string>): SpineError {
    return new SpineError(ErrorCode.INVALID_ARGUMENT, message, details);
  }

  static notFound(message: string, details?: Record<string, string>): SpineError {
    return new SpineError(ErrorCode.NOT_FOUND, message, details);
  }

  static from(err: unknown): SpineError {
    if (err instanceof SpineError) return err;
    return new SpineError(ErrorCode.INTERNAL, 'internal error');
  }

  static fromMessage(msg: ErrorMessage): SpineError {
    return new SpineError(msg.code, msg.message, { ...msg.details }, msg.retryable);
  }

  static fromBinary(bytes: Uint8Array): SpineError {
    return SpineError.fromMessage(fromBinary(ErrorSchema, bytes));
  }

  toMessage(): ErrorMessage {
    return create(ErrorSchema, { code: this.code, message: this.message, details: this.details, retryable: this.retryable });
  }

  toBinary(): Uint8Array {
    return toBinary(ErrorSchema, this.toMessage());
  }

  /** The JSON body every HTTP transport answers with. */
  toJson(): { code: string; message: string; details?: Record<string, string> } {
    const body = { code: errorCodeName(this.code), message: this.message };
    return Object.keys(this.details).length > 0 ? { ...body, details: this.details } : body;
  }
}

/** `ErrorCode.NOT_FOUND` → `"NOT_FOUND"`. */
export function errorCodeName(code: ErrorCode): string {
  return ErrorCode[code] ?? 'UNSPECIFIED';
}

export function errorCodeOf(name: string): ErrorCode | undefined {
  const value = (ErrorCode as unknown as Record<string, number | undefined>)[name];
  return typeof value === 'number' ? (value as ErrorCode) : undefined;
}
