import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { ErrorCode, httpStatusOf, SpineError } from '@spine/contracts';
import { RETRY_AFTER_DETAIL, toSpineError } from '@spine/observability';

interface ErrorResponse {
  headersSent?: boolean;
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}

/** OpenAI's error `type` for a status, as its SDKs read it (the SDKs pick their exception class by status). */
function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 400 && status < 500) return 'invalid_request_error';
  return 'server_error';
}

/**
 * Errors of the OpenAI-compatible endpoints in OpenAI's shape, `{ error: { message, type, param, code } }`, with the
 * status of the Spine code (so `openai` clients raise AuthenticationError, BadRequestError, … as they would at OpenAI);
 * `code` is Spine's error code.
 */
@Catch()
export class OpenAiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(OpenAiErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toSpineError(exception);
    if (error.code === ErrorCode.INTERNAL && !(exception instanceof SpineError)) this.logger.error({ msg: 'openai.unhandled', err: exception });
    const res = host.switchToHttp().getResponse<ErrorResponse>();
    if (res.headersSent) return; // a stream already started: its own error event was written
    const status = httpStatusOf(error.code);
    const retryAfter = error.details[RETRY_AFTER_DETAIL];
    if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    const { code, message } = error.toJson();
    res.status(status).json({ error: { message, type: typeOf(status), param: error.details['field'] ?? null, code } });
  }
}
