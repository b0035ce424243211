import type OpenAI from 'openai';
import type { ChatMessage, CompletionRequest, FinishReason, NowContext, ToolCall } from '../llm.types.js';
import { formatInstant } from '../local/zoned-time.js';

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type MessageParam = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** seed 003: the model gets now and the zone in every prompt, so it can resolve "mañana a la misma hora". */
function nowMessage(now: NowContext): MessageParam {
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: now.timezone }).format(now.now);
  return { role: 'system', content: `Current date and time: ${formatInstant(now.now, now.timezone)} (${weekday}, time zone ${now.timezone}). Resolve relative dates against it and write instants as ISO 8601 with offset.` };
}

function toMessage(m: ChatMessage): MessageParam {
  switch (m.role) {
    case 'system':
    case 'user':
      return { role: m.role, content: m.content };
    case 'assistant':
      return m.toolCalls?.length
        ? { role: 'assistant', content: m.content || null, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.rawArguments } })) }
        : { role: 'assistant', content: m.content };
    case 'tool':
      return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
  }
}

export function toParams(req: CompletionRequest, model: string): Params {
  const params: Params = { model, messages: [...(req.now ? [nowMessage(req.now)] : []), ...req.messages.map(toMessage)] };
  if (req.tools?.length) {
    params.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: { ...t.parameters } } }));
    if (req.toolChoice) params.tool_choice = typeof req.toolChoice === 'string' ? req.toolChoice : { type: 'function', function: { name: req.toolChoice.name } };
  }
  const format = req.responseFormat;
  if (format?.type === 'json_object') params.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') params.response_format = { type: 'json_schema', json_schema: { name: format.name, schema: { ...format.schema }, ...(format.strict === undefined ? {} : { strict: format.strict }) } };
  if (req.temperature !== undefined) params.temperature = req.temperature;
  if (req.maxTokens !== undefined) params.max_completion_tokens = req.maxTokens;
  return params;
}

export function toToolCall(id: string, name: string, rawArguments: string): ToolCall {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawArguments || '{}');
  } catch {
    parsed = undefined;
  }
  const args = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { id, name, arguments: args, rawArguments };
}

export function toFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'length' || reason === 'content_filter') return reason;
  if (reason === 'tool_calls' || reason === 'function_call' || hasToolCalls) return 'tool_calls';
  return 'stop';
}
