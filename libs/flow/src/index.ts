export type {
  CheckRule,
  FlowDefinition,
  FlowEdge,
  FlowFormat,
  FlowIssue,
  FlowIssueCode,
  FlowNode,
  FlowRunContext,
  FlowScopes,
  FlowTrigger,
  NodeKind,
  NodeOutputs,
  RetryPolicy,
  RouteRule,
  SubflowRef,
} from './lib/flow.model.js';
export { readFlow, loadFlow, formatPath, type LoadFlowOptions, type LoadResult } from './lib/flow.loader.js';
export { SEED_TYPES, type SeedType } from './lib/flow.schema.js';
export { DEFAULT_SEED_AGENTS, HUMAN_DECISIONS, type SeedAgentBindings } from './lib/node-kinds.js';
export { validateFlow, checkFlow, checkFlowInSlices, assertDeployable, type ValidateFlowOptions, type CheckFlowResult } from './lib/flow.validator.js';
export { flowIssuesError } from './lib/flow.errors.js';
export { DEFAULT_FLOW_LIMITS, type FlowLimits } from './lib/flow.limits.js';
export {
  emptyCatalog,
  catalogAgentOfMessages,
  catalogAgentOfJsonSchemas,
  catalogAgentOfCard,
  type FlowCatalog,
  type CatalogAgent,
  type CatalogTool,
  type CatalogFlow,
} from './lib/flow.catalog.js';
export { MAX_SUBFLOW_DEPTH, subflowKey, subflowsOf, catalogFlowOf } from './lib/flow.subflows.js';
export {
  fieldTypeOfMessage,
  fieldTypeOfJsonSchema,
  describeFieldType,
  objectType,
  type FieldType,
  type ScalarKind,
} from './lib/field-type.js';
export { FlowGraph, formatCycle, type GraphNode } from './lib/flow.graph.js';
export { FlowPlan, type EvaluationState } from './lib/flow.plan.js';
export { FlowProgress } from './lib/flow.progress.js';
export { MESSAGE_RECEIVED_TYPE } from './lib/flow.typing.js';
export { DEFAULT_LIMITS, type ExpressionLimits } from './lib/cel/cel-env.js';
export { NameTable, RESERVED_IDS } from './lib/cel/references.js';
