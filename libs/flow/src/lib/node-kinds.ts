import { BOOL, DYN, INT, objectType, STRING, type FieldType } from './field-type.js';
import type { FlowNode, NodeKind } from './flow.model.js';
import type { SeedType } from './flow.schema.js';

/**
 * Which registered agent runs each seed type that is not in-process. The orchestrator passes
 * its own names; these defaults are the built-in agents of ARCHITECTURE.md where one fits.
 * - `llm`: a completion agent (`model`, `systemPrompt`, `maxTokens`, `temperature` travel in config;
 *   `inputs` are the prompt's variables; `outputSchema` asks for structured output).
 * - `rag`: the retrieval agent (Cerebro); `vectorStoreIds`, `topK`, `minScore` travel in config.
 * - `tool`: the tool-executor, with the node's `tool` and its `params` as the call's arguments.
 * - `human-in-loop`: kind `human`, run by the orchestrator itself (a task in its inbox that a person decides);
 *   the binding is kept for orchestrators that delegate approvals to an agent instead.
 */
export interface SeedAgentBindings {
  llm: string;
  rag: string;
  tool: string;
  'human-in-loop': string;
}

export const DEFAULT_SEED_AGENTS: SeedAgentBindings = {
  llm: 'llm',
  rag: 'retrieval',
  tool: 'tool-executor',
  'human-in-loop': 'human-in-loop',
};

/** The seed type (or Spine kind) as written → how it runs. `deterministic`, `transform`, `router` run in-process. */
export function kindOf(type: SeedType | NodeKind, agent: string | undefined, bindings: SeedAgentBindings): { kind: NodeKind; agent?: string } {
  switch (type) {
    case 'deterministic':
    case 'transform':
    case 'router':
      return { kind: type };
    case 'human-in-loop':
    case 'human':
      return { kind: 'human' };
    case 'flow':
      return { kind: 'flow' };
    case 'agent':
      return agent === undefined ? { kind: 'agent' } : { kind: 'agent', agent };
    default:
      return { kind: 'agent', agent: agent ?? bindings[type] };
  }
}

/** What a deterministic node returns: the winning action and every rule's action that held. */
export function deterministicOutputType(node: FlowNode): FieldType {
  const actions = [...new Set([...node.checks.map((c) => c.action), node.defaultAction])];
  return objectType({ action: { kind: 'enum', values: actions }, matched: { kind: 'list', element: STRING } });
}

/** What a router node returns: the chosen route. */
export function routerOutputType(node: FlowNode): FieldType {
  const routes = [...new Set([...node.routes.map((r) => r.route), node.defaultRoute])];
  return objectType({ route: { kind: 'enum', values: routes } });
}

/** The decisions a person may take on a human node. */
export const HUMAN_DECISIONS = ['approve', 'reject', 'edit'] as const;

/** What a human node returns: the decision, the data as approved (or edited), who decided, and whether the deadline did. */
export const HUMAN_OUTPUT_TYPE: FieldType = objectType({
  decision: { kind: 'enum', values: [...HUMAN_DECISIONS] },
  data: DYN,
  comment: STRING,
  decidedBy: STRING,
  expired: BOOL,
});

/** What a `flow` node returns: the child execution, its output (its last node's, see the orchestrator) and the tokens it used. */
export const SUBFLOW_OUTPUT_TYPE: FieldType = objectType({
  executionId: STRING,
  output: DYN,
  totalTokens: INT,
});
