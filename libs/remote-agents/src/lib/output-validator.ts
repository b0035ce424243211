import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ErrorCode, SpineError } from '@spine/contracts';

export type JsonSchema = Record<string, unknown> | boolean;

/** Checks agent outputs against the JSON Schema their card declares; compiles each schema once. */
export class OutputValidator {
  private readonly ajv = new Ajv2020({ allErrors: false, strict: false });
  private readonly byObject = new WeakMap<object, ValidateFunction>();
  private readonly byText = new Map<string, ValidateFunction>();

  /** Throws SCHEMA_VIOLATION (not retryable) with the ajv path in `details.path`. */
  check(schema: JsonSchema | string, output: unknown): void {
    const validate = this.compiled(schema);
    if (validate(output)) return;
    const first = validate.errors?.[0];
    const path = first?.instancePath || '/';
    throw new SpineError(ErrorCode.SCHEMA_VIOLATION, `agent output violates outputSchema at ${path}: ${first?.message ?? 'is invalid'}`, {
      path,
      keyword: first?.keyword ?? '',
      schemaPath: first?.schemaPath ?? '',
    }, false);
  }

  private compiled(schema: JsonSchema | string): ValidateFunction {
    if (typeof schema === 'object') {
      let validate = this.byObject.get(schema);
      if (!validate) this.byObject.set(schema, (validate = this.compile(schema)));
      return validate;
    }
    const text = String(schema);
    let validate = this.byText.get(text);
    if (!validate) this.byText.set(text, (validate = this.compile(schema)));
    return validate;
  }

  private compile(schema: JsonSchema | string): ValidateFunction {
    try {
      return this.ajv.compile(typeof schema === 'string' ? (JSON.parse(schema) as JsonSchema) : schema);
    } catch (err) {
      throw SpineError.invalid(`outputSchema is not a valid JSON Schema: ${err instanceof Error ? err.message : String(err)}`, { field: 'outputSchema' });
    }
  }
}
