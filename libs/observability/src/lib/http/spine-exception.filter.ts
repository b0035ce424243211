import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorCode, SpineError, httpStatusOf } from '@spine/contracts';
import { type Observable, throwError } from 'rxjs';
import type { JsonResponse } from './json-response.js';

/** A SpineError detail that becomes the `Retry-After` header (seconds). */
export const RETRY_AFTER_DETAIL = 'retry_after_seconds';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.INVALID_ARGUMENT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.PERMISSION_DENIED,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.ALREADY_EXISTS,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
};

/**
 * The one global filter of a Spine service. HTTP errors leave as `{ code, message, details? }` with the
 * status of their code; RPC errors stay SpineError so the transport replies with the coded protobuf Error.
 * One class for both because Nest hybrid apps share global filters (`inheritAppConfig`).
 */
@Catch()
export class SpineExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(SpineExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const error = toSpineError(exception);
    if (error.code === ErrorCode.INTERNAL && !(exception instanceof SpineError)) {
      this.logger.error({ msg: `${host.getType()}.unhandled`, err: exception });
    }
    if (host.getType() === 'rpc') return throwError(() => error);
    const res = host.switchToHttp().getResponse<JsonResponse>();
    const retryAfter = error.details[RETRY_AFTER_DETAIL];
    if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
    res.status(httpStatusOf(error.code)).json(error.toJson());
  }
}

/** Any exception a request handler throws, as the SpineError it answers with. */
export function toSpineError(exception: unknown): SpineError {
  if (exception instanceof SpineError) return exception;
  if (exception instanceof HttpException) {
    return new SpineError(CODE_BY_STATUS[exception.getStatus()] ?? ErrorCode.INTERNAL, exception.message);
  }
  const status = clientErrorStatus(exception);
  if (status !== undefined) return new SpineError(CODE_BY_STATUS[status] ?? ErrorCode.INVALID_ARGUMENT, (exception as Error).message);
  return SpineError.from(exception);
}

/** Errors the HTTP platform raises itself (body-parser: too large, bad JSON) carry a 4xx `status` and `expose`. */
function clientErrorStatus(exception: unknown): number | undefined {
  const e = exception as { status?: unknown; expose?: unknown };
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true ? e.status : undefined;
}
