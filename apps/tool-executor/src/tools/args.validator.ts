import { toolCatalog } from '@spine/tool-catalog';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>(toolCatalog.map((t) => [t.name, ajv.compile(t.parameters)]));

/** Problems with a call's arguments, as `field: message`; empty when valid. Fills schema defaults in place. */
export function argumentProblems(tool: string, args: Record<string, unknown>): string[] {
  const validate = validators.get(tool);
  if (!validate) return [`tool: unknown tool ${tool}`];
  if (validate(args)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = e.instancePath.replace(/^\//, '').replaceAll('/', '.') || (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty || (e.params as { additionalProperty?: string }).additionalProperty || 'arguments';
    return `${field}: ${e.message ?? 'is invalid'}`;
  });
}
