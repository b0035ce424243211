import type { z } from 'zod';

/** A service's configuration from its environment, validated once at boot; a bad one names every variable at fault. */
export function parseEnv<S extends z.ZodType>(service: string, schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`${service}: invalid configuration\n${lines.join('\n')}`);
}
