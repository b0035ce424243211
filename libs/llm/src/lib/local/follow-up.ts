import type { ChatMessage, Locale, NowContext, KnownNames, ToolDefinition } from '../llm.types.js';
import type { IntentClassifier, IntentMatch } from './intent.classifier.js';
import { extractArguments } from './slot-extractor.js';
import { toolVerb } from './slot-kinds.js';
import { foldKeepLength } from './text.js';

/** "y de Website?", "y pedro?", "what about website?", "and sarah's?": the lead of a follow-up, then what changes. */
const LEAD = /^\s*[¿¡]?\s*(?:y\s+(?:qu[eé]\s+(?:hay\s+)?(?:de|con)|lo\s+de|las?\s+de|los?\s+de|para|de|del|en|con)?|e|and(?:\s+what\s+about|\s+for|\s+in|\s+of)?|what\s+about|how\s+about|same\s+for|lo\s+mismo\s+(?:para|de|con))\b\s*/iu;
/** Not a follow-up: talking to the assistant ("y tú?", "and you?"), thanks or goodbyes, or a request of its own. */
const NOT_A_CHANGE = /\b(?:tu|you|usted|gracias|thanks|thank|bye|adios|crea\w*|create|agenda\w*|schedule|add|borra\w*|delete|mueve|move|cancel\w*)\b/;

/** Whether `text` changes one filter of the listing before it rather than saying something new: up to four words after the lead. */
export function isFollowUp(text: string): boolean {
  const m = LEAD.exec(text);
  if (!m) return false;
  const rest = text.slice(m[0].length).trim();
  const words = rest.split(/\s+/).filter((w) => /\p{L}|\d/u.test(w));
  return words.length >= 1 && words.length <= 4 && !NOT_A_CHANGE.test(foldKeepLength(text.toLowerCase()));
}

/** What a follow-up changes; a bare name ("y pedro?", "what about website?") read as the owner or project it names ("de pedro"). */
function changed(text: string, said: (text: string) => Record<string, unknown>): Record<string, unknown> {
  const own = said(text);
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
    const args = since.reduce<Record<string, unknown>>((acc, m, i) => ({ ...acc, ...(i === 0 ? said(m.content) : changed(m.content, said)) }), {});
    return { tool, args, match };
  }
  return undefined;
}
