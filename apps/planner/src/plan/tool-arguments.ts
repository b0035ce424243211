import { toolCatalog } from '@spine/tool-catalog';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// No useDefaults: a schema default is the tool's to apply, not a value the user gave.
const ajv = new Ajv2020({ allErrors: true, useDefaults: false, strict: true });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>(toolCatalog.map((t) => [t.name, ajv.compile(t.parameters)]));

export interface CheckedArguments {
  /** Arguments the schema accepts. */
  args: Record<string, unknown>;
  /** Required arguments absent (or refused by the schema), in schema order. */
  missing: string[];
  /** Arguments the schema refused, as `field: message`. */
  refused: string[];
}

function fieldOf(e: ErrorObject): string | undefined {
  const path = e.instancePath.replace(/^\//, '').split('/')[0];
  if (path) return path;
  const p = e.params as { additionalProperty?: string };
  return p.additionalProperty;
}

/**
 * Validates a call's arguments against the tool's JSON Schema. An argument the schema refuses is
 * dropped rather than bent to fit; then what is still required and absent is missing.
 */
export function checkArguments(tool: string, input: Record<string, unknown>): CheckedArguments {
  const validate = validators.get(tool);
  if (!validate) throw new Error(`no schema for tool ${tool}`);
  const args = { ...input };
  const refused: string[] = [];
  for (let round = 0; round < 3 && !validate(args); round++) {
    for (const e of validate.errors ?? []) {
      const field = fieldOf(e);
      if (field && field in args) {
        refused.push(`${field}: ${e.message ?? 'is invalid'}`);
        delete args[field];
      }
    }
  }
  const spec = toolCatalog.find((t) => t.name === tool);
  const required = (spec?.parameters['required'] as string[] | undefined) ?? [];
  const missing = required.filter((r) => args[r] === undefined);
  return { args, missing, refused };
}
