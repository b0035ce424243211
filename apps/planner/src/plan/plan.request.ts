import type { JsonValue } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { SpineError, type PlannerInput } from '@spine/contracts';
import { detectLocale, isValidTimezone, type KnownNames, type Locale, type NowContext } from '@spine/llm';

/** What the previous round returned, as the tool-executor wrote it (ToolResult as JSON). */
export interface PreviousResult {
  tool: string;
  ok: boolean;
  result: JsonValue | undefined;
}

export const FLOW_TYPES = ['CreateTask', 'CreateProject', 'CreateUser', 'ScheduleMeeting', 'Other'] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

const MAX_TEXT = 8_000;
const MAX_TURNS = 20;
/** lookupNames gives at most 500 projects, 500 users, 200 events and 200 tasks; a name is at most a title's 200 characters (a user's 254). */
const MAX_NAMES = { projects: 500, users: 500, events: 200, tasks: 200 } as const;
const MAX_NAME = 254;

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** A PlannerInput after every field was checked: what the planning rules work on. */
export interface PlanRequest {
  text: string;
  locale: Locale;
  now: NowContext;
  flowType: FlowType | undefined;
  intent: string;
  roles: readonly string[];
  /** Tool names the flow allows (input and invoke scope intersected). */
  allowedTools: ReadonlySet<string>;
  history: readonly Turn[];
  /** Retrieved snippets, best first, as plain text for the prompt. */
  context: readonly string[];
  /** 1 or 2: the second round plans with the first round's results and may not ask for a third. */
  round: 1 | 2;
  previousResults: readonly PreviousResult[];
  /** The tenant's names the message is read against (empty lists when the flow gives none). */
  knownNames: KnownNames;
}

export interface RequestDefaults {
  timezone: string;
  locale: Locale;
  now: Date;
  /** The invoke scope's allowed_tools. */
  scopeTools: readonly string[];
}

/** Checks a PlannerInput once, at the edge; anything malformed is INVALID_ARGUMENT naming the field. */
export function planRequestOf(input: PlannerInput, d: RequestDefaults): PlanRequest {
  const text = input.text.trim();
  if (!text) throw SpineError.invalid('text is empty', { field: 'input.text' });
  if (text.length > MAX_TEXT) throw SpineError.invalid(`text is longer than ${MAX_TEXT} characters`, { field: 'input.text' });
  if (input.language && input.language !== 'es' && input.language !== 'en') throw SpineError.invalid('language must be es, en or empty', { field: 'input.language' });
  const timezone = input.timezone || d.timezone;
  if (!isValidTimezone(timezone)) throw SpineError.invalid(`unknown IANA time zone ${JSON.stringify(input.timezone)}`, { field: 'input.timezone' });
  if (input.flowType && !(FLOW_TYPES as readonly string[]).includes(input.flowType)) {
    throw SpineError.invalid(`flow_type must be one of ${FLOW_TYPES.join(', ')}`, { field: 'input.flow_type' });
  }
  if (input.round > 2) throw SpineError.invalid('round is 0, 1 or 2: a flow runs at most two tool rounds', { field: 'input.round' });
  if (input.history.length > MAX_TURNS) throw SpineError.invalid(`at most ${MAX_TURNS} history turns`, { field: 'input.history' });
  const history = input.history.map((t, i): Turn => {
    if (t.role !== 'user' && t.role !== 'assistant') throw SpineError.invalid(`history[${i}].role must be user or assistant`, { field: `input.history[${i}].role` });
    if (t.text.length > MAX_TEXT) throw SpineError.invalid(`history[${i}].text is longer than ${MAX_TEXT} characters`, { field: `input.history[${i}].text` });
    return { role: t.role, text: t.text };
  });
  return {
    text,
    locale: (input.language as Locale | '') || detectLocale(text, d.locale),
    now: { timezone, now: input.now ? timestampDate(input.now) : d.now },
    flowType: (input.flowType as FlowType | '') || undefined,
    intent: input.intent,
    roles: input.roles,
    allowedTools: allowedTools(input.allowedTools, d.scopeTools),
    history,
    context: (input.context?.snippets ?? []).slice(0, 5).map((s) => `[${s.documentId}#${s.chunk}] ${s.text.slice(0, 1_000)}`),
    round: input.round === 2 ? 2 : 1,
    previousResults: input.previousResults.map((r) => ({ tool: r.tool, ok: r.ok, result: r.result })),
    knownNames: knownNamesOf(input),
  };
}

function knownNamesOf(input: PlannerInput): KnownNames {
  const k = input.knownNames;
  const known = { projects: k?.projects ?? [], users: k?.users ?? [], events: k?.events ?? [], tasks: k?.tasks ?? [] };
  for (const key of ['projects', 'users', 'events', 'tasks'] as const) {
    const field = `input.known_names.${key}`;
    if (known[key].length > MAX_NAMES[key]) throw SpineError.invalid(`known_names.${key} holds at most ${MAX_NAMES[key]} names`, { field });
    if (known[key].some((n) => n.length > MAX_NAME)) throw SpineError.invalid(`a name in known_names.${key} is longer than ${MAX_NAME} characters`, { field });
  }
  return known;
}

/** Both lists narrow: a tool runs only where the node input and the flow's scope both allow it. */
function allowedTools(fromInput: readonly string[], fromScope: readonly string[]): ReadonlySet<string> {
  if (fromInput.length === 0) return new Set(fromScope);
  if (fromScope.length === 0) return new Set(fromInput);
  return new Set(fromInput.filter((t) => fromScope.includes(t)));
}
