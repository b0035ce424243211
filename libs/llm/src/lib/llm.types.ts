/** A JSON Schema object (the subset tools and structured output use). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type Locale = 'es' | 'en';

/** The clock a request is read against: relative dates ("mañana a las 10") resolve from here. */
export interface NowContext {
  /** IANA zone, e.g. "America/Mexico_City". */
  timezone: string;
  /** The instant "now" means for this request. */
  now: Date;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments; `{}` when the model sent something that was not a JSON object. */
  arguments: Record<string, unknown>;
  /** The arguments exactly as the model sent them. */
  rawArguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: readonly ToolCall[] }
  | { role: 'tool'; content: string; toolCallId: string; name?: string };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
  /** Labelled example requests for this tool; the local provider learns intents from them. */
  examples?: readonly string[];
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; name: string; schema: JsonSchema; strict?: boolean };

export interface CompletionRequest {
  messages: readonly ChatMessage[];
  /** Model id for the provider; the provider's configured default when absent. */
  model?: string;
  tools?: readonly ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  temperature?: number;
  maxTokens?: number;
  /** Reply language when known (intake detects it); providers detect it otherwise. */
  locale?: Locale;
  now?: NowContext;
  /** Aborts the call; the provider stops work and throws CANCELLED. */
  signal?: AbortSignal;
  /** Absolute deadline, ms since the epoch; past it the call throws DEADLINE_EXCEEDED. */
  deadline?: number;
  /**
   * Retrieved sources the reply must be written from, and only from (a knowledge question): the
   * messages carry them for a model; the local provider quotes from them (grounded-answer.ts).
   */
  grounding?: readonly GroundingSource[];
  /**
   * Names that exist in the tenant's data (the flow's lookupNames): what the user wrote is matched against them,
   * never filled from them. A model reads them in the messages; the local provider matches them itself.
   */
  knownNames?: KnownNames;
}

/** The tenant's projects, users and open tasks, and the titles of the caller's events. */
export interface KnownNames {
  projects: readonly string[];
  users: readonly string[];
  events: readonly string[];
  /** Optional: a flow may give none. */
  tasks?: readonly string[];
}

/** One retrieved chunk a grounded reply may cite as [n]. */
export interface GroundingSource {
  n: number;
  title: string;
  documentId: string;
  text: string;
  /** Retrieval's cosine similarity. */
  score: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** The model that did the work (after fallback, the one that answered). */
  model: string;
  provider: string;
  /** True when the provider did not report counts and they were estimated from the text. */
  estimated?: boolean;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter';

export interface Completion {
  text: string;
  toolCalls: ToolCall[];
  /** The parsed JSON when a json_object or json_schema response format was asked for. */
  output?: unknown;
  finishReason: FinishReason;
  usage: Usage;
}

export type StreamChunk =
  | { type: 'text'; delta: string }
  /** Sent once per call, complete, when the provider has all of its arguments. */
  | { type: 'tool_call'; call: ToolCall }
  /** Always last. */
  | { type: 'done'; finishReason: FinishReason; usage: Usage };

export interface EmbedOptions {
  model?: string;
  signal?: AbortSignal;
  deadline?: number;
}

export interface Embeddings {
  vectors: number[][];
  dimensions: number;
  usage: Usage;
}

/** One interface for every model behind Spine (seed 004 §4): reason, stream, embed. */
export interface LlmProvider {
  /** Short name used in usage reports and model refs ("openai", "local"). */
  readonly name: string;
  complete(req: CompletionRequest): Promise<Completion>;
  stream(req: CompletionRequest): AsyncIterable<StreamChunk>;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Embeddings>;
}
