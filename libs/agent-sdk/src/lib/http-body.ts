import type { IncomingMessage } from 'node:http';
import { ErrorCode, SpineError } from '@spine/contracts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The raw request body, or PAYLOAD_TOO_LARGE once it passes `limit` bytes. Listens to events
 * rather than iterating, because leaving a for-await destroys the socket before the 413 is sent.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = new SpineError(ErrorCode.PAYLOAD_TOO_LARGE, `request body is larger than ${limit} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume(); // discard the rest so the 413 can be written
      reject(tooLarge);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
