import { SpineError, ErrorCode } from '@spine/contracts';
import type { JsonSchema } from '@spine/llm';
import { z } from 'zod';

export const ROUTES = ['SMALL_TALK', 'NEED_MORE_CONTEXT', 'FLOW_EXECUTION', 'UNKNOWN'] as const;
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
  'NEED_MORE_CONTEXT when the request is about the business but too vague to act on; UNKNOWN otherwise.',
  'flowType: CreateTask, CreateProject, CreateUser, ScheduleMeeting, or Other. You never call tools.',
].join(' ');
