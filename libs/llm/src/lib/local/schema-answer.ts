import type { JsonSchema, Locale, NowContext } from '../llm.types.js';
import type { IntentClassifier, IntentMatch } from './intent.classifier.js';
import type { IntentDefinition } from './intent.examples.js';
import { fillStructured } from './structured.js';
import { fold } from './text.js';

/**
 * Labelled examples for enum labels flows commonly classify into (seed 000's intent-classifier): the classifier
 * learns an enum value from its own words plus these. A label not listed here is learnt from its words alone.
 */
const LABEL_EXAMPLES: Record<string, { es: readonly string[]; en: readonly string[] }> = {
  queja: {
    es: ['tengo una queja', 'quiero poner una queja', 'estoy muy molesto con el servicio', 'esto es inaceptable', 'mi pedido llegó roto', 'nadie me responde', 'quiero un reembolso ya', 'el servicio es pésimo'],
    en: ['i have a complaint', 'this is unacceptable', 'i am very angry with the service', 'my order arrived broken', 'nobody answers me', 'i want a refund now'],
  },
  pregunta_producto: {
    es: ['¿cuánto cuesta el plan pro?', '¿qué incluye el producto?', '¿tienen envío internacional?', '¿cuál es el precio?', '¿el producto tiene garantía?', 'quiero saber las características del plan'],
    en: ['how much does the pro plan cost?', 'what does the product include?', 'do you ship internationally?', 'what is the price?', 'does the product have a warranty?'],
  },
  saludo: { es: ['hola', 'buenos días', 'buenas tardes', 'qué tal', 'hola, ¿cómo estás?'], en: ['hello', 'hi there', 'good morning', 'hey, how are you?'] },
  otro: { es: ['otra cosa', 'no sé'], en: ['something else', 'other'] },
};
LABEL_EXAMPLES['complaint'] = LABEL_EXAMPLES['queja']!;
LABEL_EXAMPLES['question'] = LABEL_EXAMPLES['pregunta_producto']!;
LABEL_EXAMPLES['greeting'] = LABEL_EXAMPLES['saludo']!;
LABEL_EXAMPLES['other'] = LABEL_EXAMPLES['otro']!;

const FALLBACK_LABELS = new Set(['otro', 'other', 'unknown', 'desconocido', 'none']);

function labelIntents(values: readonly string[]): IntentDefinition[] {
  return values.map((value) => {
    const words = value.replace(/[_-]+/g, ' ');
    const known = LABEL_EXAMPLES[fold(value).replace(/ /g, '_')];
    return { intent: `enum:${value}`, route: 'UNKNOWN', tools: [], examples: { es: [words, ...(known?.es ?? [])], en: [...(known?.en ?? [])] } };
  });
}

/** The enum value nearest to `text` by the classifier, with its similarity; below the classifier's floor, the catch-all label. */
async function classifyInto(classifier: IntentClassifier, text: string, values: readonly string[]): Promise<{ value: string; confidence: number }> {
  const extra = labelIntents(values);
  const ids = new Set(extra.map((d) => d.intent));
  const match = await classifier.classify(text, { extra, among: (d) => ids.has(d.intent) });
  if (match.intent.startsWith('enum:')) return { value: match.intent.slice('enum:'.length), confidence: match.confidence };
  const fallback = values.find((v) => FALLBACK_LABELS.has(fold(v))) ?? values[0]!;
  return { value: fallback, confidence: match.confidence };
}

function enumOf(schema: JsonSchema): readonly string[] | undefined {
  const values = schema['enum'];
  return Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

/** The plainest value of a schema's type, so a property the text did not give still validates. */
function emptyOf(schema: JsonSchema): unknown {
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0) return values[0];
  if ('const' in schema) return schema['const'];
  const type = Array.isArray(schema['type']) ? (schema['type'] as unknown[])[0] : schema['type'];
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object':
      return conform({}, schema);
    default:
      return {};
  }
}

/** Gives every required property that is missing, or of the wrong kind, its plainest value; the rest stays as found. */
function conform(value: Record<string, unknown>, schema: JsonSchema): Record<string, unknown> {
  const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) if (!props[name] || fits(props[name], v)) out[name] = v;
  for (const name of required) if (!(name in out)) out[name] = emptyOf(props[name] ?? {});
  return out;
}

function fits(schema: JsonSchema, value: unknown): boolean {
  const values = schema['enum'];
  if (Array.isArray(values)) return values.includes(value);
  switch (schema['type']) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/**
 * Structured output without a model, valid against `schema`: what the classifier knows (route, intent, language…)
 * and what the slot extractor reads from the text come from `fillStructured`; a string enum property still empty is
 * classified into one of its values (then `confidence`, if declared, is that similarity); a required property still
 * missing gets the plainest value of its type.
 */
export async function answerToSchema(text: string, schema: JsonSchema, classifier: IntentClassifier, match: IntentMatch, ctx: { now: NowContext; locale: Locale }): Promise<Record<string, unknown>> {
  const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const filled = fillStructured(text, schema, match, ctx);
  let confidence: number | undefined;
  for (const [name, prop] of Object.entries(props)) {
    const values = enumOf(prop);
    if (!values || name in filled) continue;
    const found = await classifyInto(classifier, text, values);
    filled[name] = found.value;
    confidence ??= Math.round(found.confidence * 1000) / 1000;
  }
  if (confidence !== undefined && 'confidence' in props) filled['confidence'] = confidence;
  return conform(filled, schema);
}
