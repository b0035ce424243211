import type { JsonSchema, Locale, NowContext } from '../llm.types.js';
import type { IntentMatch } from './intent.classifier.js';
import { extractArguments } from './slot-extractor.js';

/** Values the classifier knows, offered to properties with these names. */
function known(match: IntentMatch, locale: Locale): Record<string, unknown> {
  return {
    route: match.route,
    intent: match.intent,
    confidence: Math.round(match.confidence * 1000) / 1000,
    flowType: match.flowType ?? 'Other',
    flow_type: match.flowType ?? 'Other',
    language: locale,
    locale,
  };
}

function accepts(schema: JsonSchema, value: unknown): boolean {
  const allowed = schema['enum'];
  if (Array.isArray(allowed)) return allowed.includes(value);
  const type = schema['type'];
  if (type === 'number' || type === 'integer') return typeof value === 'number';
  if (type === 'string') return typeof value === 'string';
  return type === undefined;
}

/**
 * Structured output without a model: properties named route, intent, confidence, flowType or
 * language take what the classifier found (when the schema accepts it); every other property is
 * read from the text like a tool argument. Nothing else is filled in.
 */
export function fillStructured(text: string, schema: JsonSchema, match: IntentMatch, ctx: { now: NowContext; locale: Locale }): Record<string, unknown> {
  const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const facts = known(match, ctx.locale);
  const out: Record<string, unknown> = {};
  const rest: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries(props)) {
    const value = facts[name];
    if (value !== undefined && accepts(prop, value)) out[name] = value;
    else if (value === undefined) rest[name] = prop;
  }
  const extracted = extractArguments(text, { type: 'object', properties: rest }, { now: ctx.now, locale: ctx.locale });
  return { ...out, ...extracted.args };
}
