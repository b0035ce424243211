import { SpineError, ErrorCode } from '@spine/contracts';
import { isCancel, isFollowUp, saysAFact, type JsonSchema } from '@spine/llm';
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
const HOW_TO = /^\s*¿?\s*(c[oó]mo\s+(se|puedo|hago|debo|funciona|reabro|creo|cambio|borro|elimino|agendo|asigno|edito)|qu[eé]\s+(es|significa|pasa\s+si|ocurre\s+si|hace|hago\s+si|hacemos\s+si|debo\s+hacer)\s|what\s+(do|should)\s+(i|we)\s+do\s+(if|when)\s|por\s*qu[eé]|how\s+(do|can|should|does|to)\s|what\s+(is|are|does|happens)\s|why\s|explain\s|expl[ií]came\s)/i;
/** A question: opening ¿, closing ?, or an interrogative first word. */
const QUESTION = /^\s*¿|\?\s*$|^\s*(what|which|how|why|when|where|who|qu[eé]|cu[aá]l|cu[aá]nt|c[oó]mo|por\s*qu[eé]|d[oó]nde|qui[eé]n)\b/i;
/** Words of documentation, not of data: a question with one is about rules, not about the user's records. */
const DOC_WORDS = /\b(priority|prioridad|argument|argumento|tool|herramienta|rule|regla|norma|policy|pol[ií]tica|process|proceso|allowance|default|por\s+defecto|si\s+no\s+se\s+indica|when\s+none\s+is\s+given)/i;
/** Talking to the assistant itself ("how are you?", "what can you do?"): small talk, not knowledge. */
const TO_THE_ASSISTANT = /\b(you|your|t[uú]|te|est[aá]s|eres|puedes)\b/i;
/** The user's own records ("what tasks do I have?", "¿qué tareas tengo?"): a tool reads them. */
const OWN_RECORDS = /\b(i|my|me|mine|mi|mis|tengo|tenemos|yo|cre[eé])\b/i;
/** Someone's work ("what is Ana working on?", "¿en qué está trabajando Pedro?"): their tasks, not documentation. */
const SOMEONES_WORK = /\b(working\s+on|busy\s+with|(is|are)\s+\S+(\s+\S+)?\s+doing|plate|up\s+to\s*\??\s*$|have\s+(pending|left|open|due)|\b(?:does|do)\s+\w+\s+have\b|\bq(?:u[eé])?\s+tiene\b|trabajando|haciendo|ocupad[oa]s?\s+con|tiene\s+pendiente|\w+['’]s?\s+(?:open\s+|pending\s+|overdue\s+|current\s+)?(?:tasks|meetings|calendar|to-?dos|events)\b)/i;
/** A greeting or a how-are-things question ("hola! ¿cómo va todo?", "hey, how's it going?"): chit-chat, however long. */
const CHIT_CHAT = /^\s*[¡¿]?\s*(hola|ola|hey|hi|hello|buen[oa]s|qu[eé]\s+tal|qu[eé]\s+onda)\b|\b(c[oó]mo\s+(va|van|vas|andas|andan|te\s+va|os\s+va|les\s+va|sigues)|qu[eé]\s+tal|how'?s\s+(it|everything|things|life)|how\s+(is|are)\s+(it|everything|things|life)\b|what'?s\s+up)/i;
/** Asking for help or to ask something, with nothing said yet ("¿me puedes ayudar?", "I have a question"). */
const ASKS_FOR_HELP = /\b(ayud\w*|mano|help|duda|pregunta\w*|consulta\w*|question|ask\s+you)\b/i;

/** A greeting opening the message ("hola!", "hey,", "buenos días,"): what follows is the message. */
const GREETING_LEAD = /^\s*[¡¿]?\s*(?:hola+|ola|holi|hey+|hi|hello|buen[oa]s(?:\s+(?:d[ií]as|tardes|noches))?|good\s+(?:morning|afternoon|evening))\b(?:\s+(?:there|all|team|equipo))?\s*[!,.;:]+\s*/i;
/** Saying that a question follows: "una pregunta,", "necesito saber", "me gustaría saber", "I'd like to know", "quick question:". */
const WANTS_TO_KNOW =
  /^\s*(?:(?:tengo\s+)?(?:una|1)\s+(?:pregunta|duda|consulta)(?:\s+r[aá]pida)?\s*(?:[,:.!]|(?=sobre|acerca|de\s+la|del?\s))|(?:i\s+have\s+)?(?:a\s+)?(?:quick\s+)?question\s+(?=about|on|regarding)|(?:necesito|quiero|quisiera|busco)\s+(?:info|informaci[oó]n|detalles)\s+(?=sobre|acerca|de\b|del\b)|(?:i\s+need|i'?m\s+looking\s+for|looking\s+for)\s+(?:info|information|details)\s+(?=about|on|regarding)|(?:i\s+have\s+)?(?:a\s+|one\s+)?(?:quick\s+)?question\s*[,:.!]|(?:yo\s+)?(?:necesito|quiero|quisiera|me\s+gustar[ií]a|me\s+interesa|podr[ií]as?\s+decirme|puedes\s+decirme)\s+(?:saber|conocer|entender|averiguar)\b|(?:i'?d\s+like|i\s+would\s+like|i\s+want|i\s+need|i'?m\s+trying|wanted)\s+to\s+(?:know|understand|find\s+out|learn|ask)\b|(?:tell\s+me|expl[ií]came|cu[eé]ntame)\s+(?=about|sobre|c[oó]mo|how|what|qu[eé]|cu[aá]l|cu[aá]nt|si\b|if\b|whether)(?:about|sobre)?)/i;
/** A yes/no question without its "?": "is there a dress code", "¿hay teletrabajo los viernes". */
const YES_NO = /^\s*(?:is\s+there|are\s+there|do\s+we\s+have|does\s+the\s+company|hay\s+(?!algo|alguna\s+tarea)|existe)\b/i;
/** A condition inside a question ("… if I don't say one", "… si no pongo prioridad"): not a record of the user's. */
const CONDITION = /\s(?:if|si|when|cuando)\s.*$/i;
/** Any record, not one of the user's: "a task", "una reunión" (with a condition, a question about how things work). */
const ANY_ONE = /\b(?:a|an|any|una?|cualquier)\s+(?:task|tarea|meeting|reuni[oó]n|event|evento|project|proyecto|user|usuario)\b/i;
/** Topics of the company's rules and documents. */
const POLICY_TOPIC =
  /\b(vacaciones|vacation|holidays?|time\s+off|days?\s+off|d[ií]as\s+libres|permisos?|leave|gastos|expenses?|reembolsos?|reimburse\w*|dietas|horario\s+(?:de\s+oficina|laboral|de\s+trabajo)|office\s+hours|working\s+hours|business\s+hours|teletrabajo|remote\s+work\w*|work\s+from\s+home|n[oó]mina|payroll|salary|salario|sueldo|beneficios|benefits|onboarding|dress\s+code|enferm\w*|sick|baja\s+m[eé]dica|medical\s+leave|maternidad|paternidad|maternity|paternity|payday|pay\s+day|d[ií]a\s+de\s+pago|c[oó]digo\s+de\s+vestimenta|pol[ií]tica|policy|policies|normativa|handbook|manual)\b/i;
/** Words of the ERP's records: with one, a question is about tasks or meetings, not about the rules. */
const RECORD_WORDS = /\b(tareas?|tasks?|reuni[oó]n\w*|meetings?|calendar\w*|agenda|eventos?|events?|proyectos?|projects?)\b/i;
/** Whether something is allowed, in general: "se puede…", "am I allowed…", "… on a saturday?", "… outside working hours?". */
const ABOUT_A_RULE =
  /\b(se\s+puede[n]?|est[aá]\s+permitid[oa]|allowed|permitted|is\s+it\s+possible|es\s+posible)\b|\b(?:on\s+an?|un|en\s+un)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|festivo|holiday|fin\s+de\s+semana)\b|\b(?:fuera\s+del?\s+horario|outside\s+(?:of\s+)?(?:working|office|business)\s+hours|after\s+hours|on\s+weekends|los\s+fines\s+de\s+semana)\b/i;

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
  // "hola! una pregunta, …", "necesito saber …", "I'd like to know how …": what is asked follows the lead-in.
  const { asked, wantsToKnow } = askedPart(text);
  const question = wantsToKnow || QUESTION.test(asked) || YES_NO.test(asked);
  const toAssistant = TO_THE_ASSISTANT.test(asked);
  // "cuántos días de vacaciones tenemos", "can I book a meeting on a saturday?": a rule of the company, whoever asks.
  if (question && !toAssistant && (aboutPolicy(asked) || ABOUT_A_RULE.test(asked) || (ANY_ONE.test(asked) && CONDITION.test(asked)))) return true;
  if (decision.route === 'SMALL_TALK') return question && !toAssistant && isLongerThanChitChat(asked);
  // "How do I …" asks how something is done; "what is on my calendar" asks for the user's records; "if I don't say one" is a condition, not a record.
  const records = asked.replace(/^\s*(?:how\s+(?:do|can|should)\s+i|what\s+(?:do|should)\s+(?:i|we)\s+do)\b/i, '').replace(CONDITION, '');
  const ownRecords = OWN_RECORDS.test(records) || SOMEONES_WORK.test(asked);
  if (!ownRecords && (HOW_TO.test(asked) || (question && DOC_WORDS.test(asked)))) return true;
  if (decision.route === 'NEED_MORE_CONTEXT' && ASKS_FOR_HELP.test(text) && !wantsToKnow) return false;
  return question && (decision.route === 'UNKNOWN' || decision.route === 'NEED_MORE_CONTEXT') && !toAssistant;
}

/** A greeting, then "una pregunta:" or "necesito saber" and the like, taken off the front; `wantsToKnow` when a lead-in asked. */
export function askedPart(text: string): { asked: string; wantsToKnow: boolean } {
  const rest = text.replace(GREETING_LEAD, '');
  const lead = WANTS_TO_KNOW.exec(rest);
  const asked = (lead ? rest.slice(lead.index + lead[0].length) : rest).trim();
  // "tengo una duda, ¿vale?": nothing asked yet after the lead-in.
  if ((asked.match(/\p{L}+/gu) ?? []).length < 2) return { asked: text, wantsToKnow: false };
  return { asked, wantsToKnow: lead !== null };
}

/** A topic of the company's rules (holidays, expenses, office hours), not a record of the ERP's. */
function aboutPolicy(text: string): boolean {
  return POLICY_TOPIC.test(text) && !RECORD_WORDS.test(text);
}

/** "algo", "una cosa", "something": the thing to do is not said. */
const VAGUE_THING = /\b(algo|una\s+cosa|alguna\s+cosa|unas\s+cosas|something)\b/i;
/** Verbs that say no action of their own ("hacer algo", "sort something out"); "agendar algo" says what to do. */
const ANY_ACTION = /\b(hacer|hago|haga|cambiar|cambio|arreglar|mirar|ver|modificar|gestionar|resolver|tocar|do|sort|fix|change|handle|deal|check|look|work)\b/i;
/** "hay algo pendiente?", "anything overdue": asking what there is, not a vague request. */
const LOOKING_UP = /\b(pendientes?|pending|vencid[oa]s?|overdue|queda|left|hay)\b/i;
/** A request that names what to do leaves a trace: a label, a quote, a number, a capitalised name past the first word. */
const SPECIFIC = /[:"“«\d]|\s\p{Lu}/u;

/**
 * A request that says an action but not what it is about ("tengo que hacer algo con un proyecto", "I need to sort something
 * out") needs more context, whatever verb it shares with a request.
 */
export function withVagueRequest(decision: Decision, text: string): Decision {
  if (decision.route !== 'FLOW_EXECUTION' || !VAGUE_THING.test(text) || !ANY_ACTION.test(text) || QUESTION.test(text) || LOOKING_UP.test(text) || SPECIFIC.test(text.trim()) || text.trim().split(/\s+/).length > 9) return decision;
  return { ...decision, route: 'NEED_MORE_CONTEXT', intent: 'need_more_context', flowType: 'Other' };
}

/** "olvídalo", "nada, déjalo", "never mind": the request under way is dropped; a reply, no planning (the planner skips small talk). */
export function withCancel(decision: Decision, text: string): Decision {
  return isCancel(text) ? { ...decision, route: 'SMALL_TALK', intent: 'cancel', flowType: 'Other' } : decision;
}

/**
 * "y de Website?", "what about pedro?", "and sarah's?": a follow-up changes a filter of the request before it, which
 * the planner finds in the history; on its own it looks like nothing, so the router cannot tell its tool.
 */
export function withFollowUp(decision: Decision, text: string): Decision {
  // Whatever verb the classifier heard in it, the tool is the listing's before it ("¿y las de marketing?").
  if (!isFollowUp(text)) return decision;
  return { ...decision, route: 'FLOW_EXECUTION', intent: 'follow_up', flowType: 'Other' };
}

/**
 * "el jueves a las 10, que dure media hora", "ventas, tomorrow, high priority", "friday thx": facts that answer the
 * assistant's question, which the classifier, seeing no verb, takes for chit-chat. Not small talk, so the planner
 * completes the open request from the history (with none open, the reply asks what the user needs).
 */
export function withAnswerFacts(decision: Decision, text: string): Decision {
  if (decision.route !== 'SMALL_TALK' || isCancel(text) || !saysAFact(text)) return decision;
  return { ...decision, route: 'NEED_MORE_CONTEXT', intent: 'answer', flowType: 'Other' };
}

/** Five words or more and no greeting or how-are-things question: small talk would not run that long. */
function isLongerThanChitChat(text: string): boolean {
  return text.trim().split(/\s+/).length >= 5 && !CHIT_CHAT.test(text);
}
