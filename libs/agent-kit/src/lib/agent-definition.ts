import { create, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { JsonObject } from '@bufbuild/protobuf';
import { AgentCardSchema, type AgentCard, type Scope, type Usage, Transport } from '@spine/contracts';

export interface AgentDefinitionInit<In extends DescMessage, Out extends DescMessage> {
  name: string;
  version: string;
  description: string;
  capabilities: string[];
  input: In;
  output: Out;
  /** Requests one instance handles at once (default 64). */
  maxConcurrency?: number;
  labels?: Record<string, string>;
  /** JSON Schemas of input and output, for agents whose messages are `google.protobuf.Struct`: flows are checked against them. */
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

/** What a built-in agent declares: its card, and the protobuf types of its input and output. */
export interface AgentDefinition<In extends DescMessage = DescMessage, Out extends DescMessage = DescMessage> {
  readonly name: string;
  readonly input: In;
  readonly output: Out;
  readonly maxConcurrency: number;
  card(): AgentCard;
}

export function defineAgent<In extends DescMessage, Out extends DescMessage>(init: AgentDefinitionInit<In, Out>): AgentDefinition<In, Out> {
  const maxConcurrency = init.maxConcurrency ?? 64;
  return {
    name: init.name,
    input: init.input,
    output: init.output,
    maxConcurrency,
    card: () =>
      create(AgentCardSchema, {
        name: init.name,
        version: init.version,
        description: init.description,
        transport: Transport.NATS,
        capabilities: init.capabilities,
        inputType: init.input.typeName,
        outputType: init.output.typeName,
        limits: { maxConcurrency },
        inputSchemaJson: init.inputSchema ? JSON.stringify(init.inputSchema) : '',
        outputSchemaJson: init.outputSchema ? JSON.stringify(init.outputSchema) : '',
        labels: init.labels ?? {},
      }),
  };
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  model: string;
}

/** What a handler knows about the node run it serves. */
export interface InvokeContext {
  executionId: string;
  nodeId: string;
  attempt: number;
  tenantId: string;
  scope: Scope | undefined;
  /** Upstream results and session context. */
  context: JsonObject;
  /** The node's model, already checked against the flow's allowedModels by the orchestrator; empty: the default. */
  model: string;
  /** Absolute deadline (ms since the epoch), if the caller set one. */
  deadline: number | undefined;
  /** Aborted when the deadline passes, or when the orchestrator cancels this run (the execution was cancelled or ended). */
  signal: AbortSignal;
  /** Tokens spent serving this request (LLM agents): what an LlmProvider reports, as it reports it. */
  reportUsage(usage: TokenUsage): void;
}

/** The one typed method a built-in agent implements. */
export interface AgentHandler<In extends DescMessage, Out extends DescMessage> {
  handle(input: MessageShape<In>, ctx: InvokeContext): Promise<MessageInitShape<Out>> | MessageInitShape<Out>;
}

export type { Usage };
