import type { JsonObject, JsonValue, MessageInitShape } from '@bufbuild/protobuf';
import { SpineError, type ScopeSchema } from '@spine/contracts';

/** One attempt of one node, as the engine asks an agent to run it (built-in over NATS, or third-party). */
export interface Dispatch {
  agent: string;
  executionId: string;
  nodeId: string;
  tenantId: string;
  attempt: number;
  input: JsonObject;
  context: JsonObject;
  model: string;
  scope: MessageInitShape<typeof ScopeSchema>;
  /** Absolute deadline of this attempt, ms since the epoch. */
  deadline: number;
  /** The node's config (seed 001 `config`); sent to third-party agents. */
  config?: JsonObject;
  /** A seed tool node's tool: its input is that tool's arguments, wrapped into a call for an agent that takes ToolCallsInput. */
  tool?: string;
  /** Aborted when the execution no longer waits for this node (cancelled, or ended): the agent is told to stop. */
  signal?: AbortSignal;
}

export interface DispatchResult {
  output: JsonValue;
  totalTokens: number;
  usage: JsonObject | null;
}

/** An agent's error reply with the tokens it spent before failing (an llm node's SCHEMA_VIOLATION after a repair call). */
export class SpentAgentError extends SpineError {
  constructor(
    error: SpineError,
    readonly totalTokens: number,
    readonly usage: JsonObject | null,
  ) {
    super(error.code, error.message, error.details, error.retryable);
  }
}
