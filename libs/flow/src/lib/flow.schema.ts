import { z } from 'zod';
import { NODE_ID_PATTERN } from './cel/references.js';

/** The seed's node types (000, §7.2) plus `agent`: any registered agent, named by `agent`. */
export const SEED_TYPES = ['llm', 'rag', 'tool', 'deterministic', 'router', 'transform', 'human-in-loop', 'agent'] as const;
export type SeedType = (typeof SEED_TYPES)[number];

export const NODE_KINDS = ['agent', 'deterministic', 'transform', 'router', 'human', 'flow'] as const;

const nodeId = z.string().regex(NODE_ID_PATTERN, 'must be letters, digits and _, optionally joined by single hyphens (intent-classifier)');
const jsonObject = z.record(z.string(), z.json());
const expression = z.string().trim().min(1, 'is empty');
const name = z.string().trim().min(1, 'is empty');

/** Keys a node understands; anything else it carries (systemPrompt, topK, …) becomes its `config`. */
const nodeFields = {
  id: nodeId,
  agent: name.optional(),
  dependsOn: z.array(nodeId).optional(),
  condition: expression.optional(),
  inputs: jsonObject.optional(),
  params: jsonObject.optional(),
  config: jsonObject.optional(),
  model: name.optional(),
  tool: name.optional(),
  tools: z.array(name).optional(),
  outputSchema: jsonObject.optional(),
  checks: z.array(z.strictObject({ rule: expression, action: name })).optional(),
  defaultAction: name.optional(),
  routes: z.array(z.strictObject({ when: expression, route: name })).optional(),
  defaultRoute: name.optional(),
  retry: z
    .strictObject({
      maxAttempts: z.int().min(1).max(100),
      initialBackoffMs: z.int().min(0).optional(),
      maxBackoffMs: z.int().min(0).optional(),
      multiplier: z.number().min(1).max(10).optional(),
    })
    .optional(),
  timeoutMs: z.int().positive().optional(),
  /** kind `flow`: the deployed flow to run, at a pinned version. */
  flow: z.strictObject({ id: z.string().trim().min(1, 'is empty'), version: z.int().positive() }).optional(),
};

export const NODE_FIELD_NAMES: ReadonlySet<string> = new Set([...Object.keys(nodeFields), 'type', 'kind']);

const seedNode = z.looseObject({ ...nodeFields, type: z.enum(SEED_TYPES) });
const spineNode = z.looseObject({ ...nodeFields, kind: z.enum(NODE_KINDS).optional(), type: z.enum(SEED_TYPES).optional() });

const stringList = z.array(name);
const scopes = z.strictObject({
  allowedModels: stringList.optional(),
  allowedTools: stringList.optional(),
  allowedAgents: stringList.optional(),
  maxTotalTokens: z.int().positive().optional(),
  maxExecutionTimeMs: z.int().positive().optional(),
  canCreateSubAgents: z.boolean().optional(),
});

const trigger = z.looseObject({ type: name, schema: jsonObject.optional() });
const edge = z.union([z.strictObject({ from: nodeId, to: nodeId }), z.tuple([nodeId, nodeId])]);

const header = {
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be 1-128 letters, digits, _, . or -'),
  name: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  trigger: trigger.optional(),
  scopes: scopes.optional(),
  /** The event-logger writes each DONE execution's summary to Cerebro, for its user (issue 17); off unless declared. */
  memory: z.boolean().optional(),
};

/** Seed 000's Agent Flow JSON: `agents[]`, dependencies implied by references and order. */
export const seedFlowSchema = z.looseObject({ ...header, agents: z.array(seedNode).min(1, 'a flow needs at least one agent') });

/** Spine's form: `nodes[]` with `dependsOn` and/or top-level `edges`. */
export const spineFlowSchema = z.looseObject({
  ...header,
  nodes: z.array(spineNode).min(1, 'a flow needs at least one node'),
  edges: z.array(edge).optional(),
});

export type SeedFlowDocument = z.infer<typeof seedFlowSchema>;
export type SpineFlowDocument = z.infer<typeof spineFlowSchema>;
export type RawNode = z.infer<typeof spineNode> | z.infer<typeof seedNode>;
