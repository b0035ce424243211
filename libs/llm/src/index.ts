export type {
  ChatMessage,
  Completion,
  CompletionRequest,
  EmbedOptions,
  Embeddings,
  FinishReason,
  GroundingSource,
  JsonSchema,
  KnownNames,
  LlmProvider,
  Locale,
  NowContext,
  ResponseFormat,
  StreamChunk,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  Usage,
} from './lib/llm.types.js';
export { llmErrors, warrantsFallback, isRetryable } from './lib/llm.errors.js';
export { countTokens } from './lib/usage.js';
export { LocalProvider, type LocalProviderOptions } from './lib/local/local.provider.js';
export { IntentClassifier, type IntentMatch, type ClassifierOptions } from './lib/local/intent.classifier.js';
export { defaultIntents, type IntentDefinition, type Route, type FlowType } from './lib/local/intent.examples.js';
export { HashedEmbedder, type TextEmbedder } from './lib/local/hashed.embedder.js';
export { EnergeticEmbedder, HybridEmbedder } from './lib/local/energetic.embedder.js';
export { isFollowUp } from './lib/local/follow-up.js';
export { hourPhrase, saysAFact } from './lib/local/answers.js';
export { twoRequests } from './lib/local/two-requests.js';
export { isCancel } from './lib/local/cancel.js';
export { extractArguments, type Extraction, type ExtractContext } from './lib/local/slot-extractor.js';
export { slotKind, type SlotKind } from './lib/local/slot-kinds.js';
export { findDates, type DateMention } from './lib/local/dates.js';
export { findShift } from './lib/local/shift.js';
export { missingChange } from './lib/local/task-changes.js';
export { detectLocale } from './lib/local/text.js';
export { groundedAnswer, dontKnow } from './lib/local/grounded-answer.js';
export { formatInstant, isValidTimezone } from './lib/local/zoned-time.js';
export { OpenAiProvider, type OpenAiProviderOptions } from './lib/openai/openai.provider.js';
export { ModelRouter, nodeModelSpec, type ModelRouterOptions, type NodeModelSpec, type ProviderRegistration, type ResolvedModel } from './lib/routing/model-router.js';
export { ResilientProvider, type AttemptListener, type RetryOptions } from './lib/routing/resilient.provider.js';
export { loadLlmConfig, type LlmConfig } from './lib/llm.config.js';
export { createModelRouter } from './lib/llm.factory.js';
