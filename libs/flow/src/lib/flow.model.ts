import type { JsonObject, JsonValue } from '@bufbuild/protobuf';

/**
 * How a node runs: on a registered agent, in-process inside the orchestrator, by a person (`human`: the orchestrator's
 * inbox), or as a child execution of another deployed flow (`flow`, see flow.subflows.ts).
 */
export type NodeKind = 'agent' | 'deterministic' | 'transform' | 'router' | 'human' | 'flow';

/** The deployed flow a `flow` node runs: its id and the pinned numeric version. */
export interface SubflowRef {
  id: string;
  version: number;
}

/** Which document shape a flow was written in; error paths follow it (`agents[2]` or `nodes[2]`). */
export type FlowFormat = 'seed' | 'spine';

export interface CheckRule {
  /** CEL, bare or inside `{{ }}`. */
  rule: string;
  action: string;
}

export interface RouteRule {
  /** CEL, bare or inside `{{ }}`. */
  when: string;
  route: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  multiplier?: number;
}

export interface FlowNode {
  id: string;
  kind: NodeKind;
  /** The type as written: a seed type (`llm`, `rag`, `tool`, `human-in-loop`, …) or the Spine kind. */
  type: string;
  /** Registered agent name (kind `agent`). */
  agent?: string;
  /** Where the agent was named: `nodes[1].agent`, or `agents[0].type` when the seed type chose it. */
  agentPath: string;
  /** Parents: written (`dependsOn`, `edges`) plus, in the seed form, every node a template names. */
  dependsOn: string[];
  /** CEL; the node is skipped when it evaluates to false. */
  condition?: string;
  /** Input templates by field: strings may hold `{{ CEL }}`; objects and arrays nest. */
  inputs: JsonObject;
  /** Where `inputs` was written: `nodes[2].inputs`, or `agents[4].params` for a seed tool node. */
  inputsPath: string;
  /** Everything else the node carries (systemPrompt, topK, vectorStoreIds, …), passed through. */
  config: JsonObject;
  model?: string;
  /** Tools this node may call: the seed's `tool`, or `tools` on an agent such as the planner. */
  tools: string[];
  /** Where each tool was written, parallel to `tools`: `agents[4].tool`, `nodes[2].tools[1]`. */
  toolPaths: string[];
  /** Declared JSON Schema of the output; overrides the agent's registered output type. */
  outputSchema?: JsonObject;
  /** deterministic: rules in order; the first true rule's action wins. */
  checks: CheckRule[];
  /** deterministic: the action when no rule holds. */
  defaultAction: string;
  /** router: routes in order; the first true one wins. */
  routes: RouteRule[];
  defaultRoute: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** kind `flow`: the child flow it runs. */
  subflow?: SubflowRef;
  /** Where the node was declared, for error paths: `agents[2]` or `nodes[2]`. */
  path: string;
  /** How each parent was declared, for error paths (`nodes[2].dependsOn[0]`, `edges[4]`). */
  dependencyPaths: Record<string, string>;
}

export interface FlowScopes {
  /** Undefined: the flow does not restrict (the tenant and the tool-executor still may). */
  allowedModels?: string[];
  allowedTools?: string[];
  allowedAgents?: string[];
  maxTotalTokens?: number;
  maxExecutionTimeMs?: number;
  canCreateSubAgents: boolean;
}

export interface FlowTrigger {
  /** `message_received` has a known shape; anything else is an open map. */
  type: string;
  /** Declared JSON Schema of the trigger payload, if any. */
  schema?: JsonObject;
}

/** One flow, whichever form it was written in. */
export interface FlowDefinition {
  id: string;
  /** The version label as written ("1.0"); the registry assigns the immutable numeric version. */
  version?: string;
  name?: string;
  description?: string;
  trigger: FlowTrigger;
  nodes: FlowNode[];
  scopes: FlowScopes;
  /** Spine form's top-level `edges`, as written (already folded into each node's `dependsOn`). */
  edges: FlowEdge[];
  format: FlowFormat;
  /** Summaries of DONE executions go to Cerebro, linked to conversation and user (`memory: true`); false when not declared. */
  memory: boolean;
}

export interface FlowEdge {
  from: string;
  to: string;
  path: string;
}

export type FlowIssueCode =
  | 'SCHEMA'
  | 'DUPLICATE_NODE'
  | 'RESERVED_ID'
  | 'UNKNOWN_NODE'
  | 'CYCLE'
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_TOOL'
  | 'UNKNOWN_MODEL'
  | 'AGENT_NOT_ALLOWED'
  | 'TOOL_NOT_ALLOWED'
  | 'MODEL_NOT_ALLOWED'
  | 'NOT_UPSTREAM'
  | 'UNKNOWN_REFERENCE'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_INPUT'
  | 'MISSING_INPUT'
  | 'INPUT_TYPE'
  | 'TEMPLATE'
  | 'CEL_SYNTAX'
  | 'CEL_TYPE'
  | 'CEL_LIMIT'
  | 'CEL_REGEX'
  | 'FLOW_LIMIT'
  | 'UNKNOWN_FLOW'
  | 'SUBFLOW_NOT_ALLOWED'
  | 'SUBFLOW_CYCLE'
  | 'SUBFLOW_DEPTH';

/** One problem found in a flow, located like a compiler would: `nodes[3].inputs.text`. */
export interface FlowIssue {
  code: FlowIssueCode;
  path: string;
  message: string;
}

/** Upstream results by node id, as JSON (protobuf outputs through `toJson`). */
export type NodeOutputs = Readonly<Record<string, JsonValue>>;

/** What every expression may read besides upstream outputs. */
export interface FlowRunContext {
  trigger?: JsonValue;
  context?: JsonValue;
}
