import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const schema = z.object({ DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL') });

export type ToolExecutorConfig = z.infer<typeof schema>;
export const ERP_SCHEMA = 'erp';

/** The tool-executor's own settings; the agent kit reads the rest (NATS_URL, HTTP_PORT, …). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ToolExecutorConfig {
  return parseEnv('tool-executor', schema, env);
}
