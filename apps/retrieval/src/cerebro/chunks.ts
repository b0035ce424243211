import { detect } from 'tinyld';

/** Characters a chunk aims at: small enough to cite, large enough to make sense alone. */
const TARGET = 600;
/** Characters of the previous chunk's end carried into the next one, so a sentence cut at the edge is found whole in one of them. */
const OVERLAP = 120;

export interface Chunk {
  text: string;
  /** The headings above the chunk, outermost first ("Vacaciones › Solicitud"). */
  section: string;
}

/**
 * Markdown-ish text cut by headings (a chunk never spans two sections), then by paragraphs merged
 * up to ~600 characters, each chunk after the first of a section starting with the last ~120
 * characters of the one before (whole words). A paragraph longer than the target is cut at sentence ends.
 */
export function chunkSections(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const headings: string[] = [];
  let paragraphs: string[] = [];
  const flush = () => {
    const section = headings.filter(Boolean).join(' › ');
    for (const t of mergeParagraphs(paragraphs)) chunks.push({ text: t, section });
    paragraphs = [];
  };
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    const rest: string[] = [];
    for (const line of lines) {
      const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line.trim());
      if (!heading) {
        rest.push(line);
        continue;
      }
      if (rest.length) paragraphs.push(rest.splice(0).join(' '));
      flush();
      const level = heading[1]!.length;
      headings.length = level - 1;
      headings[level - 1] = heading[2]!;
    }
    if (rest.length) paragraphs.push(rest.join(' '));
  }
  flush();
  return chunks;
}

/** Paragraph texts only, as before headings and overlap (kept for callers that want plain chunks). */
export function chunkText(text: string): string[] {
  return chunkSections(text).map((c) => c.text);
}

function mergeParagraphs(raw: readonly string[]): string[] {
  const pieces = raw.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean).flatMap(splitLong);
  const out: string[] = [];
  let current = '';
  for (const p of pieces) {
    if (current && current.length + p.length + 1 > TARGET) {
      out.push(current);
      current = tail(current);
    }
    current = current ? `${current} ${p}` : p;
  }
  if (current && (out.length === 0 || current !== tail(out.at(-1)!))) out.push(current);
  return out;
}

/** A paragraph over the target, cut at sentence ends (a sentence longer than the target stays whole). */
function splitLong(p: string): string[] {
  if (p.length <= TARGET) return [p];
  const sentences = p.match(/[^.!?]+[.!?]+["')\]]*\s*|[^.!?]+$/g) ?? [p];
  const out: string[] = [];
  let current = '';
  for (const s of sentences.map((x) => x.trim()).filter(Boolean)) {
    if (current && current.length + s.length + 1 > TARGET) {
      out.push(current);
      current = '';
    }
    current = current ? `${current} ${s}` : s;
  }
  if (current) out.push(current);
  return out;
}

/** The last ~OVERLAP characters of a chunk, from a word start. */
function tail(chunk: string): string {
  if (chunk.length <= OVERLAP) return chunk;
  const cut = chunk.indexOf(' ', chunk.length - OVERLAP);
  return cut === -1 ? '' : chunk.slice(cut + 1);
}

/** es or en for one chunk; the document's language when the text does not say clearly. */
export function chunkLanguage(text: string, fallback: string): string {
  const found = detect(text, { only: ['es', 'en'] });
  return found === 'es' || found === 'en' ? found : fallback;
}
