import { findDurations } from './fields.js';
import { foldKeepLength } from './text.js';
import { correctTypos } from './typos.js';

/** Verbs that move an event later or earlier by an amount: "retrasa la daily una hora", "push the standup back 30 min". */
const LATER_VERB = /\b(?:retras\w*|atras\w*|pospon\w*|postpone\w*|delay\w*|push\w*)\b/;
const EARLIER_VERB = /\b(?:adelant\w*|bring\w*\s+(?:\S+\s+){0,4}?forward)\b/;
/** "… una hora más tarde", "… 30 minutes earlier": any verb of moving, with the direction said. */
const LATER = /\b(?:mas tarde|despues|later|back)\b/;
const EARLIER = /\b(?:antes|mas temprano|earlier|sooner)\b/;
const MOVE_VERB = /\b(?:mueve\w*|mover|move\w*|pasa\w*|cambia\w*|corre\w*|recorre\w*|shift\w*|reschedule\w*|reprograma\w*)\b/;

/**
 * The minutes a change moves an event by, later (positive) or earlier (negative): "retrasa la daily una hora" → 60,
 * "adelanta media hora la reunión" → -30, "move the retro 15 minutes later" → 15. Undefined when the text moves
 * nothing by an amount (an amount alone, "de 2 horas", is the event's length). The new start is the event's own
 * start plus this, which the planner looks up (seed 000, a second tool round).
 */
export function findShift(said: string): number | undefined {
  const text = correctTypos(said).text;
  const folded = foldKeepLength(text);
  const amount = findDurations(text)[0]?.value;
  if (!amount) return undefined;
  if (EARLIER_VERB.test(folded) || (EARLIER.test(folded) && MOVE_VERB.test(folded))) return -amount;
  if (LATER_VERB.test(folded) || (LATER.test(folded) && MOVE_VERB.test(folded))) return amount;
  return undefined;
}
