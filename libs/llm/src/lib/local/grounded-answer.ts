import type { GroundingSource, Locale } from '../llm.types.js';
import { fold } from './text.js';

/** Words that say nothing about what a question is after. */
const STOP = new Set(
  (
    'el la los las un una unos unas de del al y o u que en por para con sin se su sus es son esta estan hay muy mas pero como cuando donde quien cual cuales cuanto cuantos cuantas mi me te lo le nos yo tu ha han puedo puede tengo tiene hace debo debe a e ' +
    'the a an of and or that in on for with without is are was were be been there very more but how what when where who which why do does did can could should my me i you it its to at by from this these those our we us your have has'
  ).split(' '),
);

function words(text: string): Set<string> {
  return new Set(
    fold(text)
      .split(' ')
      .map((w) => w.replace(/\.+$/, ''))
      .filter((w) => w.length > 1 && !STOP.has(w)),
  );
}

/**
 * Stems by prefix after a plural s ("tasks" meets "task", "created" meets "create", "tareas" meets
 * "tarea": first five letters), plus each longer word whole, so an exact word ("createProject")
 * counts twice and a tool's name finds its own contract before another tool's.
 */
function stems(set: Set<string>): Set<string> {
  return new Set(
    [...set].flatMap((w) => {
      const stem = (w.length > 3 ? w.replace(/s$/, '') : w).slice(0, 5);
      return w.length > 5 ? [stem, `=${w}`] : [stem];
    }),
  );
}

function sentencesOf(text: string): string[] {
  return (text.match(/[^.!?\n]+[.!?]*/g) ?? []).map((s) => s.trim()).filter((s) => s.length > 12);
}

/** 1 / (how many sentences share the word): the rarer a shared word among the candidates, the more it tells. */
function rarityOf(shared: readonly string[][]): (word: string) => number {
  const counts = new Map<string, number>();
  for (const words of shared) for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return (w) => 1 / (counts.get(w) ?? 1);
}

export const dontKnow: Record<Locale, string> = {
  es: 'No lo sé: no encuentro nada sobre eso en la base de conocimiento.',
  en: "I don't know: I can't find anything about that in the knowledge base.",
};

/**
 * The offline provider's answer from retrieved sources: the sentences that share the most words
 * with the question (the best two, from the best-scoring sources), quoted as they are, each with
 * its source's number, then the numbered sources (title and document id). Nothing is written that
 * is not in a source; when no sentence shares enough words with the question, it does not know.
 */
export function groundedAnswer(question: string, sources: readonly GroundingSource[], locale: Locale): string {
  const asked = stems(words(question));
  // One shared stem of a longer question is chance ("receive" in "question-received"), not an answer: a question of
  // three or more words needs two of them in the sentence, or one long word exactly (a tool's name).
  const needed = [...asked].filter((w) => !w.startsWith('=')).length >= 3 ? 2 : 1;
  const sentences = sources
    .flatMap((source, rank) => sentencesOf(source.text).map((sentence) => ({ sentence, source, rank, shared: [...stems(words(sentence))].filter((w) => asked.has(w)) })))
    .filter((s) => s.shared.some((w) => w.startsWith('=')) || s.shared.length >= needed);
  const rarity = rarityOf(sentences.map((s) => s.shared));
  const candidates: { sentence: string; n: number; score: number }[] = [];
  for (const { sentence, source, rank, shared } of sentences) {
    // A word few sentences share says more (a tool's own name), one every contract has ("arguments") less; ties go to the source retrieval ranked higher.
    if (shared.length > 0) candidates.push({ sentence, n: source.n, score: shared.length + shared.reduce((sum, w) => sum + rarity(w), 0) + source.score - rank * 0.01 });
  }
  if (candidates.length === 0) return dontKnow[locale];
  const best = candidates.sort((a, b) => b.score - a.score).slice(0, 2);
  const top = best[0]!.score;
  const chosen = best.filter((c) => c.score >= top - 1);
  const cited = [...new Set(chosen.map((c) => c.n))].sort((a, b) => a - b);
  const lead = locale === 'es' ? 'Según la base de conocimiento:' : 'According to the knowledge base:';
  const quotes = chosen.map((c) => `«${c.sentence}» [${c.n}]`).join(' ');
  const heading = locale === 'es' ? 'Fuentes:' : 'Sources:';
  const list = cited.map((n) => {
    const s = sources.find((x) => x.n === n)!;
    return `[${n}] ${s.title} (${s.documentId})`;
  });
  return `${lead} ${quotes}\n\n${heading} ${list.join('; ')}`;
}
