import { SpineError } from '@spine/contracts';

export type JsonObject = { [key: string]: unknown };

/** What a handler receives: the seed 001 `POST /process` body, plus cancellation and streaming. */
export interface AgentRequest<I = unknown> {
  input: I;
  /** Upstream results and session context. */
  context: JsonObject;
  /** The flow node's config, e.g. `{ timeout, max_turns }`. */
  config: JsonObject;
  /** Aborted when the caller goes away or its deadline passes. */
  signal: AbortSignal;
  /** Sends a text delta on gRPC `InvokeStream`; a no-op on HTTP and unary gRPC. */
  emit: (delta: string) => void;
}

export interface AgentUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  model?: string;
}

export interface AgentResult<O = unknown> {
  output: O;
  usage?: AgentUsage;
}

export type AgentHandler<I = unknown, O = unknown> = (request: AgentRequest<I>) => Promise<AgentResult<O>> | AgentResult<O>;

/** Anything with `parse(unknown) → I` that throws on bad input; a zod schema fits. */
export interface InputParser<I> {
  parse(value: unknown): I;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs the agent's parser, if any; a throw becomes INVALID_ARGUMENT on field `input`. */
export function parseInput<I>(parser: InputParser<I> | undefined, input: unknown): I {
  if (!parser) return input as I;
  try {
    return parser.parse(input);
  } catch (err) {
    throw SpineError.invalid(`input is invalid: ${err instanceof Error ? err.message : String(err)}`, { field: 'input' });
  }
}
