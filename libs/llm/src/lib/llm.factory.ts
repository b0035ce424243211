import type { LlmConfig } from './llm.config.js';
import { HashedEmbedder } from './local/hashed.embedder.js';
import { HybridEmbedder } from './local/energetic.embedder.js';
import { LocalProvider } from './local/local.provider.js';
import { OpenAiProvider } from './openai/openai.provider.js';
import { ModelRouter, type ProviderRegistration } from './routing/model-router.js';
import type { AttemptListener } from './routing/resilient.provider.js';

/** The router an agent needs, from its configuration: local always, openai when it has a key. */
export function createModelRouter(config: LlmConfig, opts: { onFailure?: AttemptListener; local?: LocalProvider } = {}): ModelRouter {
  const local =
    opts.local ??
    new LocalProvider({
      embedder: config.LOCAL_EMBEDDER === 'hashed' ? new HashedEmbedder() : new HybridEmbedder(),
      defaultTimezone: config.LOCAL_TIMEZONE,
      defaultLocale: config.LOCAL_LOCALE,
      tokenDelayMs: config.LOCAL_TOKEN_DELAY_MS,
    });
  const providers: ProviderRegistration[] = [{ provider: local, defaultModel: 'local', models: ['local'] }];
  if (config.OPENAI_API_KEY) {
    const openai = new OpenAiProvider({
      apiKey: config.OPENAI_API_KEY,
      ...(config.OPENAI_BASE_URL ? { baseUrl: config.OPENAI_BASE_URL } : {}),
      model: config.OPENAI_MODEL,
      embeddingModel: config.OPENAI_EMBEDDING_MODEL,
      timeoutMs: config.LLM_TIMEOUT_MS,
    });
    providers.push({ provider: openai, defaultModel: config.OPENAI_MODEL, models: '*' });
  }
  return new ModelRouter({
    providers,
    defaultModel: config.LLM_DEFAULT_MODEL,
    fallback: config.LLM_FALLBACK,
    retry: { maxAttempts: config.LLM_RETRY_ATTEMPTS, initialDelayMs: config.LLM_RETRY_INITIAL_MS, maxDelayMs: config.LLM_RETRY_MAX_MS },
    breaker: { consecutiveFailures: config.LLM_BREAKER_FAILURES, halfOpenAfterMs: config.LLM_BREAKER_HALF_OPEN_MS },
    ...(opts.onFailure ? { onFailure: opts.onFailure } : {}),
  });
}
