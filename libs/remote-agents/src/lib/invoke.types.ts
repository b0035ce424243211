import type { JsonSchema } from './output-validator.js';

/** One call to a third-party agent; the same shape for HTTP and gRPC. */
export interface RemoteInvokeRequest {
  /** As registered and checked by EndpointPolicy. */
  endpoint: string;
  input: unknown;
  context?: Record<string, unknown>;
  config?: Record<string, unknown>;
  timeoutMs: number;
  /** The execution's cancellation; aborting it answers CANCELLED. */
  signal?: AbortSignal;
  /** The card's output JSON Schema (object or JSON text); checked when given. */
  outputSchema?: JsonSchema | string;
}

export interface RemoteUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  model?: string;
}

export interface RemoteInvokeResult {
  output: unknown;
  usage?: RemoteUsage;
}
