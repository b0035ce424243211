import { fold } from './text.js';

/** Turns texts into unit vectors; local embedders are deterministic and offline. */
export interface TextEmbedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}

const STOP = new Set(['el', 'la', 'los', 'las', 'de', 'del', 'un', 'una', 'y', 'o', 'en', 'a', 'al', 'por', 'lo', 'the', 'an', 'of', 'and', 'or', 'to', 'in', 'on', 'at', 'is', 'it']);

/** FNV-1a: a stable 32-bit hash, so the same text gives the same vector on every machine. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function normalize(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v : v.map((x) => x / norm);
}

/**
 * Hashed bag of words, word pairs and character 3–5-grams (signed feature hashing). Works the same
 * for Spanish and English and needs no model; inflections share their n-grams ("crea"/"crear").
 */
export class HashedEmbedder implements TextEmbedder {
  readonly id: string;

  constructor(readonly dimensions = 512) {
    this.id = `hashed-ngram-${dimensions}`;
  }

  embed(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }

  embedOne(text: string): number[] {
    const v = new Array<number>(this.dimensions).fill(0);
    const add = (feature: string, weight: number): void => {
      const h = fnv1a(feature);
      v[h % this.dimensions]! += h & 0x80000000 ? -weight : weight;
    };
    const words = fold(text).split(' ').filter((w) => w && !STOP.has(w));
    words.forEach((w, i) => {
      add(`w:${w}`, 1);
      if (i > 0) add(`b:${words[i - 1]}_${w}`, 0.7);
      const padded = `<${w}>`;
      for (let n = 3; n <= 5; n++) for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`, 0.35);
    });
    return normalize(v);
  }
}
