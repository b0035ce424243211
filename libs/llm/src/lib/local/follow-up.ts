import type { ChatMessage, Locale, NowContext, KnownNames, ToolDefinition } from '../llm.types.js';
import type { IntentClassifier, IntentMatch } from './intent.classifier.js';
import { extractArguments } from './slot-extractor.js';
import { toolVerb } from './slot-kinds.js';
import { foldKeepLength } from './text.js';

/** "y de Website?", "y pedro?", "what about website?", "and sarah's?": the lead of a follow-up, then what changes. */
const LEAD = /^\s*[¿¡]?\s*(?:(?:hmm+|mm+|ok|okay|vale|bueno|ah|oh)\s*[,.]?\s+)?(?:y\s+(?:qu[eé]\s+(?:hay\s+)?(?:de|con)|lo\s+de|las?\s+de|los?\s+de|para|de|del|en|con)?|e|and(?:\s+what\s+about|\s+for|\s+in|\s+of)?|what\s+about|how\s+about|same\s+for|lo\s+mismo\s+(?:para|de|con))\b\s*/iu;
/** A follow-up that narrows the listing rather than swapping a filter: "solo las urgentes", "only the open ones", "just the ones for Sarah". */
const NARROW = /^\s*[¿¡]?\s*(?:(?:y|and|pero|but)\s+)?(?:solo|solamente|unicamente|only|just)\b\s*/u;
/** Words that only point back at the listing ("the ones", "las") or soften it ("pls"): not counted as what changes. */
const FILLER = new Set(['the', 'ones', 'one', 'those', 'las', 'los', 'pls', 'please', 'plz', 'porfa', 'porfavor']);
/** Not a follow-up: talking to the assistant ("y tú?", "and you?"), thanks or goodbyes, or a request of its own. */
const NOT_A_CHANGE = /\b(?:tu|you|usted|gracias|thanks|thank|bye|adios|crea\w*|create|agenda\w*|schedule|add|borra\w*|delete|mueve|move|cancel\w*)\b/;

/** Whether `text` changes one filter of the listing before it rather than saying something new: up to four words after the lead. */
export function isFollowUp(text: string): boolean {
  const m = LEAD.exec(text) ?? NARROW.exec(foldKeepLength(text.toLowerCase()));
  if (!m) return false;
  const rest = text.slice(m[0].length).trim();
  const words = rest.split(/\s+/).filter((w) => /\p{L}|\d/u.test(w) && !FILLER.has(foldKeepLength(w.toLowerCase()).replace(/[^\p{L}]/gu, '')));
  const folded = foldKeepLength(text.toLowerCase());
  return words.length >= 1 && words.length <= 4 && (!NOT_A_CHANGE.test(folded) || CREATED_BY_THEM.test(folded));
}

const MINE = /\b(?:mias?|mios?|mine|my own|las mias|los mios)\b/;

/** What a follow-up changes; a bare name ("y pedro?", "what about website?") read as the owner or project it names ("de pedro"). */
function changed(text: string, said: (text: string) => Record<string, unknown>): Record<string, unknown> {
  const own = said(text);
  // "y las mías?", "and mine?": the caller's.
  if (MINE.test(foldKeepLength(text.toLowerCase())) && own['assignee'] === undefined) return { ...own, assignee: 'me' };
  if (Object.keys(own).length) return own;
  const m = LEAD.exec(text);
  return m ? said(`de ${text.slice(m[0].length).trim()}`) : {};
}

/** A listing's follow-up planned: the tool and arguments of the listing before it, with what the follow-up says put in their place. */
export async function followUpCall(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[],
  classifier: IntentClassifier,
  toolFor: (match: IntentMatch, tools: readonly ToolDefinition[]) => ToolDefinition | undefined,
  ctx: { now: NowContext; locale: Locale; known?: KnownNames },
): Promise<{ tool: ToolDefinition; args: Record<string, unknown>; match: IntentMatch } | undefined> {
  const users = messages.filter((m) => m.role === 'user');
  const last = users.at(-1);
  if (!last || users.length < 2 || !isFollowUp(last.content)) return undefined;
  for (const earlier of users.slice(0, -1).reverse()) {
    if (isFollowUp(earlier.content)) continue;
    const match = await classifier.classify(earlier.content);
    const tool = match.confidence >= 0.5 ? toolFor(match, tools) : undefined;
    if (!tool || toolVerb(tool.name) !== 'read') return undefined;
    const base = { now: ctx.now, locale: ctx.locale, toolName: tool.name, ...(ctx.known ? { known: ctx.known } : {}) };
    // Every follow-up since, in order: "tareas de Ana" → "y de Website?" → "y las terminadas?".
    const since = users.slice(users.indexOf(earlier));
    const said = (text: string) => extractArguments(text, tool.parameters, base).args;
    const args = since.reduce<Record<string, unknown>>((acc, m, i) => (i === 0 ? said(m.content) : mergeFollowUp(acc, changed(m.content, said), m.content)), {});
    return { tool, args, match };
  }
  return undefined;
}

/** "tareas de Ana" → "y las de él que creó?": the person the listing was about, as its creator. */
const CREATED_BY_THEM = /\b(?:he|she|they|el|ella|ellos)\s+(?:created|made|added|creo|hizo|anadio)|(?:created|made|added)\s+by\s+(?:him|her|them)|creadas?\s+por\s+(?:el|ella)|que\s+(?:creo|hizo|anadio)\b/;
/** "… y las asignadas a él?", "and the ones assigned to her": the creator the listing was about, as the assignee. */
const ASSIGNED_TO_THEM = /\b(?:assigned\s+to|asignadas?\s+a)\s+(?:him|her|them|el|ella)\b/;

/**
 * The listing's filters after a follow-up. A narrowing one ("solo las terminadas") adds to them. Otherwise what it
 * says takes the place of its counterpart: a project or person said the way the listing named one swaps it ("tareas
 * de Ana" → "y de Website?" lists Website's, not Ana's in Website; "the caller's" stays: "mis tareas" → "y de
 * Website?"); a day after a listing by creation moves the creation window ("qué creé hoy" → "y ayer?"); "the ones
 * he created" turns the person into the creator.
 */
export function mergeFollowUp(acc: Record<string, unknown>, change: Record<string, unknown>, text: string): Record<string, unknown> {
  const folded = foldKeepLength(text.toLowerCase());
  if (NARROW.test(folded)) return { ...acc, ...change };
  return byPronoun(acc, change, folded) ?? byCreation(acc, change) ?? byCreator(acc, change) ?? { ...withoutCounterpart(acc, change), ...change };
}

const someone = (v: unknown): string | undefined => (typeof v === 'string' && v !== 'me' ? v : undefined);

/** "tasks assigned to pedro" → "and the ones he created?": the person, now as the creator (or the other way round). */
function byPronoun(acc: Record<string, unknown>, change: Record<string, unknown>, folded: string): Record<string, unknown> | undefined {
  const assignee = someone(acc['assignee']);
  if (CREATED_BY_THEM.test(folded) && assignee && change['createdBy'] === undefined) return { ...withoutKeys(acc, ['assignee']), ...withoutKeys(change, ['assignee']), createdBy: assignee };
  const creator = someone(acc['createdBy']);
  if (ASSIGNED_TO_THEM.test(folded) && creator && change['assignee'] === undefined) return { ...withoutKeys(acc, ['createdBy']), ...change, assignee: creator };
  return undefined;
}

/** "qué tareas creé hoy" → "y ayer?": the day said moves the creation window the listing had. */
function byCreation(acc: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> | undefined {
  const created = ['createdSince', 'createdTo'];
  const due = ['dueFrom', 'dueTo'];
  const listedByCreation = created.some((k) => acc[k] !== undefined) && due.every((k) => acc[k] === undefined);
  const saysADay = due.some((k) => change[k] !== undefined) && created.every((k) => change[k] === undefined);
  if (!listedByCreation || !saysADay) return undefined;
  const { dueFrom, dueTo, ...rest } = change;
  return { ...withoutKeys(acc, created), ...rest, ...(dueFrom !== undefined ? { createdSince: dueFrom } : {}), ...(dueTo !== undefined ? { createdTo: dueTo } : {}) };
}

/** "what did sarah create this week" → "and ana?": a bare name after a listing by creator is the next creator, the window kept. */
function byCreator(acc: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> | undefined {
  const name = someone(change['assignee']);
  if (!someone(acc['createdBy']) || acc['assignee'] !== undefined || !name || change['createdBy'] !== undefined) return undefined;
  return { ...acc, ...withoutKeys(change, ['assignee']), createdBy: name };
}

/** "tareas de Ana" → "y de Website?": a project said where a person was (or a person where a project was) takes its place. */
function withoutCounterpart(acc: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const saysOnly = (k: string, other: string) => change[k] !== undefined && change[other] === undefined && acc[k] === undefined;
  if (saysOnly('project', 'assignee') && someone(acc['assignee'])) return withoutKeys(acc, ['assignee']);
  if (saysOnly('assignee', 'project') && acc['project'] !== undefined && someone(change['assignee'])) return withoutKeys(acc, ['project']);
  return acc;
}

function withoutKeys(args: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => !keys.includes(k)));
}
