import type { ServerResponse } from 'node:http';
import { ErrorCode, SpineError, httpStatusOf } from '@spine/contracts';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `{ code, message, details? }` with the status `httpStatusOf` gives the code. */
export function sendError(res: ServerResponse, err: SpineError): void {
  sendJson(res, httpStatusOf(err.code), err.toJson());
}

/** A handler's SpineError keeps its code; anything else is a retryable INTERNAL error, its message withheld. */
export function handlerError(err: unknown): SpineError {
  if (err instanceof SpineError) return err;
  return new SpineError(ErrorCode.INTERNAL, 'internal error', {}, true); // like an HTTP 500: worth a retry
}
