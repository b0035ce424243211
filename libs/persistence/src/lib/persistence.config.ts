import { z } from 'zod';

const schema = z.object({
  /** Postgres connections each process keeps at most: HPA max × pool size (every service) must fit max_connections. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type PersistenceConfig = z.infer<typeof schema>;

/** Settings every app's Postgres pool follows; a bad value stops the boot, naming the variable. */
export function loadPersistenceConfig(env: NodeJS.ProcessEnv = process.env): PersistenceConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`persistence: invalid configuration\n${lines.join('\n')}`);
}
