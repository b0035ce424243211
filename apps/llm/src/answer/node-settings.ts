import { fromJson, type JsonObject, type JsonValue } from '@bufbuild/protobuf';
import { LlmNodeSettingsSchema, SpineError, type LlmNodeSettings } from '@spine/contracts';
import type { ChatMessage } from '@spine/llm';

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The node's settings from the invoke context: `config` (systemPrompt, prompt, temperature, maxTokens) and `outputSchema`. */
export function nodeSettings(context: JsonObject): LlmNodeSettings {
  const config = isObject(context['config']) ? context['config'] : {};
  const known: JsonObject = {};
  for (const key of ['systemPrompt', 'prompt', 'temperature', 'maxTokens'] as const) if (config[key] !== undefined) known[key] = config[key];
  if (isObject(context['outputSchema'])) known['outputSchema'] = context['outputSchema'];
  try {
    return fromJson(LlmNodeSettingsSchema, known);
  } catch (err) {
    throw SpineError.invalid(`llm node settings: ${(err as Error).message}`, { field: 'config' });
  }
}

function text(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Variables that carry the user's own words: they open the user turn, so a classifier reads them first. */
const USER_WORDS = ['user_message', 'message', 'content', 'text', 'question'];

/**
 * The user turn: the node's `prompt` with `{name}` replaced by its input, or else the inputs as lines (the user's own
 * words first, then `name: value`), or else, for a node with no inputs, the trigger's content.
 */
export function userTurn(settings: LlmNodeSettings, inputs: JsonObject, context: JsonObject): string {
  if (settings.prompt) return settings.prompt.replace(/\{(\w+)\}/g, (whole, name: string) => (inputs[name] === undefined ? whole : text(inputs[name])));
  const entries = Object.entries(inputs).filter(([, v]) => v !== null && v !== '');
  if (entries.length === 0) {
    const trigger = context['trigger'];
    return isObject(trigger) && typeof trigger['content'] === 'string' ? trigger['content'] : '';
  }
  const first = entries.filter(([k, v]) => USER_WORDS.includes(k) && typeof v === 'string');
  const rest = entries.filter((e) => !first.includes(e));
  return [...first.map(([, v]) => text(v)), ...rest.map(([k, v]) => `${k}: ${text(v)}`)].join('\n');
}

/** System prompt, plus the schema the answer must follow when there is one. */
export function messagesOf(settings: LlmNodeSettings, user: string): ChatMessage[] {
  const schema = settings.outputSchema ? `Answer with only one JSON object valid against this JSON Schema: ${JSON.stringify(settings.outputSchema)}` : '';
  const system = [settings.systemPrompt, schema].filter(Boolean).join('\n\n');
  return [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: user }];
}
