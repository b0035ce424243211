import { executionEventOf } from '../store/event-message.js';
import { create, fromJson, type DescMessage, type JsonObject, type JsonValue, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate, ValueSchema } from '@bufbuild/protobuf/wkt';
import {
  ChunkKind, ErrorCode, errorCodeOf, ErrorSchema, ExecutionSchema, ExecutionState, FlowFormat, FlowSummarySchema, FlowVersionSchema,
  NodeRunState, spineRegistry, SpineError, StreamChunkSchema, StreamExecutionResponseSchema, UsageSchema, type FlowDocument,
  type Error as ErrorMessage,
} from '@spine/contracts';
import type { ExecutionStateName, Json } from '../store/execution.model.js';
import { formatPosition, type FeedItem } from '../executions/execution-feed.js';
import type { ExecutionView } from '../executions/executions.service.js';
import type { FlowSummary } from '../flows/flows.repository.js';
import type { FlowVersionView } from '../flows/flows.service.js';

type Init<T extends DescMessage> = MessageInitShape<T>;
type JsonMap = { [key: string]: Json };

const isMap = (v: Json | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const stamp = (at: Date | string | null | undefined) => (at ? timestampFromDate(new Date(at)) : undefined);
const value = (json: Json | null | undefined) => (json === undefined ? undefined : fromJson(ValueSchema, json));
const stateOf = (name: unknown) => ExecutionState[name as ExecutionStateName] ?? ExecutionState.UNSPECIFIED;

/** The request's flow document as FlowsService takes it: a parsed object, or text (YAML, which JSON also is). */
export function flowDocumentOf(doc: FlowDocument | undefined): unknown {
  switch (doc?.document.case) {
    case 'definition':
      return doc.document.value;
    case 'text':
      if (doc.format !== FlowFormat.JSON) return doc.document.value;
      try {
        return JSON.parse(doc.document.value) as unknown;
      } catch (err) {
        throw SpineError.invalid(`the flow is not valid JSON: ${(err as Error).message}`, { field: 'flow.text' });
      }
    default:
      throw SpineError.invalid('flow is required: set flow.text or flow.definition', { field: 'flow' });
  }
}

export function flowVersionOf(v: FlowVersionView): Init<typeof FlowVersionSchema> {
  return {
    id: v.id,
    version: v.version,
    label: v.label ?? '',
    name: v.name ?? '',
    nodes: v.nodes.map((n) => ({ id: n.id, kind: n.kind, agent: n.agent ?? '', dependsOn: n.dependsOn })),
    definition: (isMap(v.definition) ? v.definition : {}) as JsonObject,
    createdAt: stamp(v.createdAt),
  };
}

export function flowSummaryOf(s: FlowSummary): Init<typeof FlowSummarySchema> {
  return { id: s.id, latestVersion: Number(s.latestVersion), versions: Number(s.versions), updatedAt: stamp(s.updatedAt) };
}

/** An error as executions and node runs store it (`errorJson`). */
function errorOf(json: Json | null): ErrorMessage | undefined {
  if (!isMap(json)) return undefined;
  const details = isMap(json['details']) ? Object.fromEntries(Object.entries(json['details']).map(([k, v]) => [k, String(v)])) : {};
  return create(ErrorSchema, { code: errorCodeOf(String(json['code'] ?? '')) ?? ErrorCode.INTERNAL, message: String(json['message'] ?? ''), details, retryable: json['retryable'] === true });
}

const NODE_STATES = { running: NodeRunState.RUNNING, succeeded: NodeRunState.SUCCEEDED, failed: NodeRunState.FAILED, skipped: NodeRunState.SKIPPED } as const;

export function executionOf(e: Pick<ExecutionView, 'id' | 'flowId' | 'flowVersion' | 'state'> & Partial<ExecutionView>): Init<typeof ExecutionSchema> {
  return {
    id: e.id,
    flowId: e.flowId,
    flowVersion: e.flowVersion,
    conversationId: e.conversationId ?? '',
    state: stateOf(e.state),
    error: errorOf(e.error ?? null),
    failedNodeId: isMap(e.error ?? null) ? String((e.error as JsonMap)['nodeId'] ?? '') : '',
    input: value(e.input),
    createdAt: stamp(e.createdAt),
    finishedAt: stamp(e.finishedAt),
    nodes: (e.nodes ?? []).map((n) => ({
      nodeId: n.nodeId,
      state: NODE_STATES[n.state],
      attempts: n.attempts,
      input: value(n.input ?? undefined),
      output: value(n.output ?? undefined),
      error: errorOf(n.error),
      usage: isMap(n.usage) ? fromJson(UsageSchema, n.usage as JsonValue, { registry: spineRegistry, ignoreUnknownFields: true }) : undefined,
      startedAt: stamp(n.startedAt),
      finishedAt: stamp(n.finishedAt),
      ...(n.durationMs === null ? {} : { durationMs: n.durationMs }),
    })),
  };
}

const CHUNK_KINDS = { progress: ChunkKind.PROGRESS, token: ChunkKind.TOKEN, question: ChunkKind.QUESTION, error: ChunkKind.ERROR } as const;

/** One feed item as the stream sends it, with its resume position. */
export function updateOf(executionId: string, tenantId: string, item: FeedItem): Init<typeof StreamExecutionResponseSchema> {
  const position = formatPosition(item.position);
  if (item.kind === 'chunk') {
    const chunk = create(StreamChunkSchema, { executionId, tenantId, sequence: BigInt(item.seq), kind: CHUNK_KINDS[item.chunkKind], text: item.text, final: item.final });
    return { position, update: { case: 'chunk', value: chunk } };
  }
  return { position, update: { case: 'event', value: executionEventOf(executionId, tenantId, item) } };
}
