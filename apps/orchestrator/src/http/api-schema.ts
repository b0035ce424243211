import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';

/** Documents a route's JSON body with the zod schema that validates it. */
export function ApiBodyOf(schema: z.ZodType, description?: string): MethodDecorator {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return ApiBody({ schema: json, ...(description ? { description } : {}) });
}
