import { SpineError, ErrorCode } from '@spine/contracts';
import type { JsonSchema } from '@spine/llm';
import { z } from 'zod';

export const ROUTES = ['SMALL_TALK', 'NEED_MORE_CONTEXT', 'FLOW_EXECUTION', 'KNOWLEDGE', 'UNKNOWN'] as const;
export const FLOW_TYPES = ['CreateTask', 'CreateProject', 'CreateUser', 'ScheduleMeeting', 'Other'] as const;

/** What the model is asked to return (structured output); the local provider fills it from its classifier. */
export const decisionSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['route', 'intent', 'confidence', 'flowType'],
  properties: {
    route: { type: 'string', enum: [...ROUTES] },
    intent: { type: 'string', description: 'snake_case intent, e.g. create_task or small_talk' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    flowType: { type: 'string', enum: [...FLOW_TYPES] },
  },
};

const decision = z.object({
  route: z.enum(ROUTES),
  intent: z.string().min(1).max(64),
  confidence: z.number().min(0).max(1),
  flowType: z.enum(FLOW_TYPES).default('Other'),
});

export type Decision = z.infer<typeof decision>;

/** A model's answer is outside input too: anything but a valid decision is an error, never a guess. */
export function parseDecision(output: unknown): Decision {
  const parsed = decision.safeParse(output);
  if (parsed.success) return parsed.data;
  throw new SpineError(ErrorCode.INTERNAL, `the model returned no valid route: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
}

export const SYSTEM_PROMPT = [
  'You route messages of an ERP assistant. Answer only with the JSON object.',
  'route: SMALL_TALK for greetings, thanks and chit-chat; FLOW_EXECUTION when the user asks to create, change, list or schedule something;',
  'KNOWLEDGE for a question answered by documentation (a policy, a process, how the assistant or one of its tools works);',
  'NEED_MORE_CONTEXT when the request is about the business but too vague to act on; UNKNOWN otherwise.',
  'flowType: CreateTask, CreateProject, CreateUser, ScheduleMeeting, or Other. You never call tools.',
].join(' ');

/** How-to and what-is questions: asking about something, not asking for it to be done. */
const HOW_TO = /^\s*¿?\s*(c[oó]mo\s+(se|puedo|hago|debo|funciona|reabro|creo|cambio|borro|elimino|agendo|asigno|edito)|qu[eé]\s+(es|significa|pasa\s+si|ocurre\s+si|hace)|por\s*qu[eé]|cu[aá]l(es)?\s+(es|son)\s+(la|el|los|las)\s+(pol[ií]tica|regla|proceso|norma|l[ií]mite|formato|campo)|how\s+(do|can|should|does)\s|what\s+(is|are|does|happens)\s|why\s|explain\s|expl[ií]came\s)/i;

/**
 * The route a decision takes: a knowledge question goes to retrieval and a reply written from
 * what it finds (KNOWLEDGE). A classifier that only knows the search_knowledge intent, and
 * how-to questions it mistakes for requests ("how do I create a task?"), are both sent there.
 */
export function withKnowledgeRoute(decision: Decision, text: string): Decision {
  if (decision.route === 'SMALL_TALK' || decision.route === 'KNOWLEDGE') return decision;
  if (decision.intent === 'search_knowledge' || HOW_TO.test(text)) return { ...decision, route: 'KNOWLEDGE', intent: 'search_knowledge', flowType: 'Other' };
  return decision;
}
