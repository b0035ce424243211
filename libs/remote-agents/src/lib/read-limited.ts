/**
 * A response body as text, read at most `limit` bytes: past it the body is destroyed and `tooLarge()` is thrown,
 * so a hostile endpoint cannot make the caller buffer without bound.
 */
export async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
