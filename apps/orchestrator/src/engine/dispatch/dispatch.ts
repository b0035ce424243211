import type { JsonObject, JsonValue, MessageInitShape } from '@bufbuild/protobuf';
import type { ScopeSchema } from '@spine/contracts';

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
  /** Aborted when the execution no longer waits for this node (cancelled, or ended): the agent is told to stop. */
  signal?: AbortSignal;
}

export interface DispatchResult {
  output: JsonValue;
  totalTokens: number;
  usage: JsonObject | null;
}
