import type { DescMessage, JsonValue, Registry } from '@bufbuild/protobuf';
import type { AgentCard } from '@spine/contracts';
import { DYN, fieldTypeOfJsonSchema, fieldTypeOfMessage, type FieldType } from './field-type.js';

/** What a flow may know about an agent: the JSON view of its input and output. Unknown: `dyn`. */
export interface CatalogAgent {
  inputType?: FieldType;
  outputType?: FieldType;
}

export interface CatalogTool {
  /** The tool's arguments (its JSON Schema, through `fieldTypeOfJsonSchema`). */
  inputType?: FieldType;
}

/** A deployed flow version a `flow` node may run (see flow.subflows.ts). */
export interface CatalogFlow {
  /** What its trigger accepts: a `flow` node's inputs must fit it. */
  triggerType: FieldType;
  /** The flows its own `flow` nodes run: for cycles and depth. */
  subflows: readonly { id: string; version: number }[];
}

/**
 * Everything deploy-time checks look up. The orchestrator fills it from the registry (agents)
 * and its configuration (tools, models); this library only reads it.
 */
export interface FlowCatalog {
  agents: ReadonlyMap<string, CatalogAgent>;
  tools: ReadonlyMap<string, CatalogTool>;
  models: ReadonlySet<string>;
  /** Deployed flows by `subflowKey` (`id@version`): those a flow's `flow` nodes name, and theirs, transitively. */
  flows?: ReadonlyMap<string, CatalogFlow>;
}

export function emptyCatalog(): FlowCatalog {
  return { agents: new Map(), tools: new Map(), models: new Set() };
}

/** A built-in agent: its protobuf input and output messages. */
export function catalogAgentOfMessages(input: DescMessage, output: DescMessage): CatalogAgent {
  return { inputType: fieldTypeOfMessage(input), outputType: fieldTypeOfMessage(output) };
}

/** A third-party agent: its JSON Schemas. */
export function catalogAgentOfJsonSchemas(input: JsonValue | undefined, output: JsonValue | undefined): CatalogAgent {
  return { inputType: fieldTypeOfJsonSchema(input), outputType: fieldTypeOfJsonSchema(output) };
}

function typeOf(messageName: string, schemaJson: string, registry: Registry): FieldType {
  const desc = messageName ? registry.getMessage(messageName) : undefined;
  // A Struct says only "some object": the card's JSON Schema, when it has one, says which.
  if (desc && !(desc.typeName === 'google.protobuf.Struct' && schemaJson)) return fieldTypeOfMessage(desc);
  if (!schemaJson) return DYN;
  try {
    return fieldTypeOfJsonSchema(JSON.parse(schemaJson) as JsonValue);
  } catch {
    return DYN; // the registry validates cards; an unreadable schema only loses checking
  }
}

/** An agent as the registry knows it: protobuf type names resolved in `registry`, else its JSON Schemas. */
export function catalogAgentOfCard(card: AgentCard, registry: Registry): CatalogAgent {
  return {
    inputType: typeOf(card.inputType, card.inputSchemaJson, registry),
    outputType: typeOf(card.outputType, card.outputSchemaJson, registry),
  };
}
