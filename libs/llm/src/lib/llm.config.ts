import { z } from 'zod';
import { isValidTimezone } from './local/zoned-time.js';

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const schema = z
  .object({
    /** Model ref for nodes that name none: "local", "openai", "openai:gpt-4o-mini". */
    LLM_DEFAULT_MODEL: z.string().min(1).default('local'),
    /** Comma-separated model refs tried after a node's own model. */
    LLM_FALLBACK: list,
    LLM_TIMEOUT_MS: ms(60_000),
    LLM_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    LLM_RETRY_INITIAL_MS: ms(200),
    LLM_RETRY_MAX_MS: ms(5_000),
    LLM_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
    LLM_BREAKER_HALF_OPEN_MS: ms(10_000),
    /** Set it to enable the openai provider (also for an OpenAI-compatible proxy). */
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
    /**
     * hashed: n-grams only (512, no model load); hybrid: sentence model + hashed n-grams (1024 dimensions).
     * hashed is the default: the sentence model takes ~3 s to load and ~8 s of blocked event loop to embed the
     * examples on 2 cores, longer than an agent may go without a heartbeat. Use hybrid where a worker or more cores allow.
     */
    LOCAL_EMBEDDER: z.enum(['hybrid', 'hashed']).default('hashed'),
    LOCAL_TIMEZONE: z.string().default('UTC').refine(isValidTimezone, 'unknown IANA time zone'),
    LOCAL_LOCALE: z.enum(['es', 'en']).default('es'),
    LOCAL_TOKEN_DELAY_MS: ms(0),
  })
  .superRefine((c, ctx) => {
    const refs = [c.LLM_DEFAULT_MODEL, ...c.LLM_FALLBACK];
    if (!c.OPENAI_API_KEY && refs.some((r) => r === 'openai' || r.startsWith('openai:'))) {
      ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'is required when LLM_DEFAULT_MODEL or LLM_FALLBACK name openai' });
    }
  });

export type LlmConfig = z.infer<typeof schema>;

/** Reads the LLM settings from the environment; a bad value fails with the name of every variable at fault. */
export function loadLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`llm: invalid configuration\n${lines.join('\n')}`);
}
