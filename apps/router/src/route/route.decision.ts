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
const HOW_TO = /^\s*¿?\s*(c[oó]mo\s+(se|puedo|hago|debo|funciona|reabro|creo|cambio|borro|elimino|agendo|asigno|edito)|qu[eé]\s+(es|significa|pasa\s+si|ocurre\s+si|hace)\s|por\s*qu[eé]|how\s+(do|can|should|does)\s|what\s+(is|are|does|happens)\s|why\s|explain\s|expl[ií]came\s)/i;
/** A question: opening ¿, closing ?, or an interrogative first word. */
const QUESTION = /^\s*¿|\?\s*$|^\s*(what|which|how|why|when|where|who|qu[eé]|cu[aá]l|cu[aá]nt|c[oó]mo|por\s*qu[eé]|d[oó]nde|qui[eé]n)\b/i;
/** Words of documentation, not of data: a question with one is about rules, not about the user's records. */
const DOC_WORDS = /\b(priority|prioridad|argument|argumento|tool|herramienta|rule|regla|norma|policy|pol[ií]tica|process|proceso|allowance|default|por\s+defecto|si\s+no\s+se\s+indica|when\s+none\s+is\s+given)/i;
/** Talking to the assistant itself ("how are you?", "what can you do?"): small talk, not knowledge. */
const TO_THE_ASSISTANT = /\b(you|your|t[uú]|te|est[aá]s|eres|puedes)\b/i;
/** The user's own records ("what tasks do I have?", "¿qué tareas tengo?"): a tool reads them. */
const OWN_RECORDS = /\b(i|my|me|mine|mi|mis|tengo|tenemos|yo|cre[eé])\b/i;
/** Someone's work ("what is Ana working on?", "¿en qué está trabajando Pedro?"): their tasks, not documentation. */
const SOMEONES_WORK = /\b(working\s+on|busy\s+with|(is|are)\s+\S+(\s+\S+)?\s+doing|plate|up\s+to\s*\??\s*$|have\s+(pending|left|open|due)|trabajando|haciendo|ocupad[oa]s?\s+con|tiene\s+pendiente)/i;
/** A greeting or a how-are-things question ("hola! ¿cómo va todo?", "hey, how's it going?"): chit-chat, however long. */
const CHIT_CHAT = /^\s*[¡¿]?\s*(hola|ola|hey|hi|hello|buen[oa]s|qu[eé]\s+tal|qu[eé]\s+onda)\b|\b(c[oó]mo\s+(va|van|vas|andas|andan|te\s+va|os\s+va|les\s+va|sigues)|qu[eé]\s+tal|how'?s\s+(it|everything|things|life)|how\s+(is|are)\s+(it|everything|things|life)\b|what'?s\s+up)/i;
/** Asking for help or to ask something, with nothing said yet ("¿me puedes ayudar?", "I have a question"). */
const ASKS_FOR_HELP = /\b(ayud\w*|mano|help|duda|pregunta\w*|consulta\w*|question|ask\s+you)\b/i;

/**
 * The route a decision takes: a knowledge question goes to retrieval and a reply written from
 * what it finds (KNOWLEDGE). Sent there: the classifier's search_knowledge intent; how-to and
 * what-is questions it takes for requests ("how do I create a task?"); questions naming rules,
 * tools or policies that are not about the user's own records; and longer questions it could only
 * call small talk or unknown, unless they speak to the assistant itself.
 */
export function withKnowledgeRoute(decision: Decision, text: string): Decision {
  if (decision.route === 'KNOWLEDGE') return decision;
  return isKnowledgeQuestion(decision, text) ? { ...decision, route: 'KNOWLEDGE', intent: 'search_knowledge', flowType: 'Other' } : decision;
}

function isKnowledgeQuestion(decision: Decision, text: string): boolean {
  if (decision.intent === 'search_knowledge') return true;
  const question = QUESTION.test(text);
  const toAssistant = TO_THE_ASSISTANT.test(text);
  if (decision.route === 'SMALL_TALK') return question && !toAssistant && isLongerThanChitChat(text);
  // "How do I …" asks how something is done; "what is on my calendar" asks for the user's records.
  const ownRecords = OWN_RECORDS.test(text.replace(/^\s*how\s+(do|can|should)\s+i\b/i, '')) || SOMEONES_WORK.test(text);
  if (!ownRecords && (HOW_TO.test(text) || (question && DOC_WORDS.test(text)))) return true;
  if (decision.route === 'NEED_MORE_CONTEXT' && ASKS_FOR_HELP.test(text)) return false;
  return question && (decision.route === 'UNKNOWN' || decision.route === 'NEED_MORE_CONTEXT') && !toAssistant;
}

/** Five words or more and no greeting or how-are-things question: small talk would not run that long. */
function isLongerThanChitChat(text: string): boolean {
  return text.trim().split(/\s+/).length >= 5 && !CHIT_CHAT.test(text);
}
