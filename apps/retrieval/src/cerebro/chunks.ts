const TARGET = 600;

/** Paragraphs merged up to ~600 characters: small enough to cite, large enough to make sense alone. */
export function chunkText(text: string): string[] {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const chunks: string[] = [];
  let current = '';
  for (const p of paragraphs) {
    if (current && current.length + p.length + 1 > TARGET) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current} ${p}` : p;
  }
  if (current) chunks.push(current);
  return chunks;
}
