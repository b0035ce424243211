import { describe, expect, it } from 'vitest';
import { loadLlmConfig } from './llm.config.js';
import { createModelRouter } from './llm.factory.js';

describe('loadLlmConfig', () => {
  it('defaults to the local provider with no fallback', () => {
    expect(loadLlmConfig({})).toMatchObject({ LLM_DEFAULT_MODEL: 'local', LLM_FALLBACK: [], LOCAL_EMBEDDER: 'hashed', LOCAL_TIMEZONE: 'UTC' });
  });

  it('names every variable at fault', () => {
    expect(() => loadLlmConfig({ LLM_DEFAULT_MODEL: 'openai', LOCAL_TIMEZONE: 'Mars/Olympus', LLM_RETRY_ATTEMPTS: '0' })).toThrow(/OPENAI_API_KEY[\s\S]*|LOCAL_TIMEZONE/);
    try {
      loadLlmConfig({ LLM_DEFAULT_MODEL: 'openai', LOCAL_TIMEZONE: 'Mars/Olympus', LLM_RETRY_ATTEMPTS: '0' });
    } catch (err) {
      expect(String(err)).toContain('OPENAI_API_KEY');
      expect(String(err)).toContain('LOCAL_TIMEZONE');
      expect(String(err)).toContain('LLM_RETRY_ATTEMPTS');
    }
  });

  it('builds a router with openai only when it has a key', () => {
    const offline = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
    expect(() => offline.resolve('openai')).toThrow();
    const online = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', LLM_DEFAULT_MODEL: 'openai', LLM_FALLBACK: 'local' }));
    expect(online.resolve('openai').ref).toBe('openai:gpt-4o-mini');
  });
});
