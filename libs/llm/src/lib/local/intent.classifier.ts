import { afterGreeting } from './greeting.js';
import type { TextEmbedder } from './hashed.embedder.js';
import type { FlowType, IntentDefinition, Route } from './intent.examples.js';
import { intentFeatures } from './intent.mask.js';
import { ruledIntent } from './intent.rules.js';
import { fold } from './text.js';

export interface IntentMatch {
  intent: string;
  route: Route;
  flowType?: FlowType;
  tools: readonly string[];
  /** Cosine similarity of the nearest example of the winning intent, 0–1. */
  confidence: number;
  /** The nearest labelled example, for explanations and tests. */
  nearest: string;
}

interface Example {
  text: string;
  vector: number[];
  def: IntentDefinition;
}

export interface ClassifierOptions {
  /** Neighbours that vote. */
  k?: number;
  /** Below this similarity the route is UNKNOWN. */
  minConfidence?: number;
}

export function toolKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Similarity at which a message is one of the labelled examples, give or take punctuation. */
const EXACT = 0.97;
/** Words that start alike for this many letters count as one small-talk word ("holaa", "graciaaas"); shorter ones must be said whole. */
const STEM = 4;

function sharedPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** The words of `text`, folded; digits, punctuation and lone letters ("Vestac4a4e8") are not words. */
function wordsOf(text: string): string[] {
  return fold(text).match(/\p{L}{2,}/gu) ?? [];
}

/** Confidence of an intent the request's own verb and object state (intent.rules). */
const RULED = 0.8;

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

/** Nearest-neighbour intent over labelled examples; vectors are computed once and cached. */
export class IntentClassifier {
  private readonly k: number;
  private readonly minConfidence: number;
  private readonly cache = new Map<string, number[]>();
  private base: Promise<Example[]> | undefined;
  private chitChatWords: ReadonlySet<string> | undefined;

  constructor(
    private readonly embedder: TextEmbedder,
    private readonly intents: readonly IntentDefinition[],
    opts: ClassifierOptions = {},
  ) {
    this.k = opts.k ?? 3;
    this.minConfidence = opts.minConfidence ?? 0.4;
  }

  /** Embeds the labelled examples now instead of on the first request. */
  async warmUp(): Promise<void> {
    await this.examples();
  }

  /**
   * The nearest intent of `text`. `extra` adds intents for this call only (a tool's own examples);
   * `among` restricts the candidates.
   */
  async classify(text: string, opts: { extra?: readonly IntentDefinition[]; among?: (def: IntentDefinition) => boolean } = {}): Promise<IntentMatch> {
    // "hola! qué tareas tengo hoy", "hi! whats on my plate today": the greeting is manners, the request follows it.
    // "👍", "🙏🙏": a reaction, not a request.
    if (/\p{Extended_Pictographic}/u.test(text) && !/[\p{L}\p{N}]/u.test(text)) return this.reaction(text);
    const rest = afterGreeting(text);
    if (rest) {
      const request = await this.classify(rest, opts);
      if (request.route !== 'SMALL_TALK' && request.route !== 'UNKNOWN') return request;
    }
    return this.classifyWhole(text, opts);
  }

  private async classifyWhole(text: string, opts: { extra?: readonly IntentDefinition[]; among?: (def: IntentDefinition) => boolean }): Promise<IntentMatch> {
    const examples = [...(await this.examples()), ...(await this.embedExamples(opts.extra ?? []))].filter((e) => !opts.among || opts.among(e.def));
    const features = intentFeatures(text);
    // Nothing left once dates and names are masked ("friday", "Intranet"): no intent to read, and the sentence model refuses empty input.
    if (!features) return this.unknown(0, '');
    // Queries are not cached: only the labelled examples are worth keeping.
    const [query] = await this.embedder.embed([features]);
    if (!query || examples.length === 0) return this.unknown(0, '');
    const all = examples.map((e) => ({ e, score: cosine(query, e.vector) })).sort((a, b) => b.score - a.score);
    // An intent only the rules choose (changing a task) is found by `ruled` below, never by the neighbours' vote.
    const ranked = all.filter((r) => !r.e.def.ruledOnly);
    const votes = new Map<string, { score: number; best: number; example: Example }>();
    for (const { e, score } of ranked.slice(0, this.k)) {
      const vote = votes.get(e.def.intent);
      if (vote) vote.score += score;
      else votes.set(e.def.intent, { score, best: score, example: e });
    }
    // A (near) verbatim labelled example decides alone: two looser neighbours must not outvote it.
    const top = ranked[0];
    const [voted] = [...votes.values()].sort((a, b) => b.score - a.score);
    const ruled = this.ruled(text, all);
    if (ruled) return ruled;
    const winner = top && top.score >= EXACT ? votes.get(top.e.def.intent) : voted;
    if (!winner) return this.unknown(0, '');
    const confidence = Math.max(0, Math.min(1, winner.best));
    if (confidence < this.minConfidence) return this.unknown(confidence, winner.example.text);
    const { def } = winner.example;
    // Small talk is a closed set of phrases: a message that shares none of their words only looks like one to the
    // character n-grams ("Vestac" after "¿Cómo se llama el proyecto?" is a name, not "¿cómo estás?").
    if (def.route === 'SMALL_TALK' && confidence < EXACT && !this.soundsLikeChitChat(features)) return this.unknown(confidence, winner.example.text);
    return { intent: def.intent, route: def.route, ...(def.flowType ? { flowType: def.flowType } : {}), tools: def.tools, confidence, nearest: winner.example.text };
  }

  /**
   * An intent the request states outright (intent.rules), when it is among the candidates: its nearest example, with
   * at least RULED confidence, since the verb and the object said it rather than the neighbours.
   */
  private ruled(text: string, ranked: readonly { e: Example; score: number }[]): IntentMatch | undefined {
    const intent = ruledIntent(text);
    const best = intent ? ranked.find((r) => r.e.def.intent === intent) : undefined;
    if (!best) return undefined;
    const { def } = best.e;
    return { intent: def.intent, route: def.route, ...(def.flowType ? { flowType: def.flowType } : {}), tools: def.tools, confidence: Math.max(RULED, Math.min(1, best.score)), nearest: best.e.text };
  }

  /** Whether `features` has a word of the small-talk examples, or no word at all ("👍", "?!"). */
  private soundsLikeChitChat(features: string): boolean {
    const words = wordsOf(features);
    if (!words.length) return true;
    this.chitChatWords ??= new Set(this.intents.filter((d) => d.route === 'SMALL_TALK').flatMap((d) => [...d.examples.es, ...d.examples.en]).flatMap((t) => wordsOf(intentFeatures(t))));
    const vocabulary = this.chitChatWords;
    return words.some((w) => vocabulary.has(w) || [...vocabulary].some((v) => sharedPrefix(w, v) >= STEM));
  }

  private reaction(text: string): IntentMatch {
    const chat = this.intents.find((d) => d.route === 'SMALL_TALK');
    return chat ? { intent: chat.intent, route: 'SMALL_TALK', tools: [], confidence: 1, nearest: text } : this.unknown(0, '');
  }

  private unknown(confidence: number, nearest: string): IntentMatch {
    return { intent: 'unknown', route: 'UNKNOWN', tools: [], confidence, nearest };
  }

  private examples(): Promise<Example[]> {
    this.base ??= this.embedExamples(this.intents);
    return this.base;
  }

  private async embedExamples(defs: readonly IntentDefinition[]): Promise<Example[]> {
    const pairs = defs.flatMap((def) => [...def.examples.es, ...def.examples.en].map((text) => ({ text, def })));
    const vectors = await this.vectors(pairs.map((p) => intentFeatures(p.text)));
    return pairs.map((p, i) => ({ ...p, vector: vectors[i] ?? [] }));
  }

  private async vectors(texts: readonly string[]): Promise<number[][]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (missing.length) {
      const computed = await this.embedder.embed(missing);
      missing.forEach((t, i) => this.cache.set(t, computed[i] ?? []));
    }
    return texts.map((t) => this.cache.get(t) ?? []);
  }
}
