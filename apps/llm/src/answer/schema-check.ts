import { Injectable } from '@nestjs/common';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ErrorCode, SpineError } from '@spine/contracts';
import { createHash } from 'node:crypto';

export type SchemaVerdict = { ok: true } | { ok: false; errors: string[] };

/** A node's outputSchema, compiled once per distinct schema (nodes of a deployed flow repeat). */
@Injectable()
export class SchemaCheck {
  // strict off: flows copy schemas from seeds and prompts, with keywords ajv does not know (`description` is fine, `x-…` too).
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  validate(schema: Record<string, unknown>, value: unknown): SchemaVerdict {
    const check = this.compile(schema);
    if (check(value)) return { ok: true };
    return { ok: false, errors: (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) };
  }

  private compile(schema: Record<string, unknown>): ValidateFunction {
    const key = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
    let check = this.compiled.get(key);
    if (!check) {
      try {
        check = this.ajv.compile(schema);
      } catch (err) {
        throw new SpineError(ErrorCode.INVALID_ARGUMENT, `outputSchema is not a valid JSON Schema: ${(err as Error).message}`, { field: 'outputSchema' }, false);
      }
      this.compiled.set(key, check);
    }
    return check;
  }
}
