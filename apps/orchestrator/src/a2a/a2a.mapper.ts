import { Role, TaskState, type AgentCard, type Artifact, type Message, type Part, type Task } from '@a2a-js/sdk';
import { SpineError } from '@spine/contracts';
import type { ExecutionStateName, Json } from '../store/execution.model.js';
import type { ExecutionView } from '../executions/executions.service.js';
import type { FlowVersionView } from '../flows/flows.service.js';

/** The security scheme name a Spine flow's card declares: the API key as a bearer token. */
export const SPINE_API_KEY_SCHEME = 'spineBearer';
/** Task metadata key carrying the Spine execution behind an A2A task (the task id is the execution id). */
export const EXECUTION_METADATA = 'spine';

type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export const textPart = (text: string): Part => ({ content: { $case: 'text', value: text }, mediaType: 'text/plain', filename: '', metadata: undefined });
export const dataPart = (value: Json): Part => ({ content: { $case: 'data', value }, mediaType: 'application/json', filename: '', metadata: undefined });

export function agentMessage(parts: Part[], taskId: string, contextId: string): Message {
  return { messageId: crypto.randomUUID(), contextId, taskId, role: Role.ROLE_AGENT, parts, metadata: undefined, extensions: [], referenceTaskIds: [] };
}

/**
 * The public card of one flow: one skill (the flow), JSON-RPC at `url` for A2A 1.0 and 0.3 clients, streaming, the API
 * key as a bearer token, and an extended card for callers with a key. Every URL in it derives from `url`.
 */
export function flowAgentCard(flow: FlowVersionView, url: string): AgentCard {
  const description = flowDescription(flow);
  return {
    name: flow.name ?? flow.id,
    description,
    supportedInterfaces: [
      { url, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      { url, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
    ],
    provider: { organization: 'Spine', url: new URL(url).origin },
    version: flow.label ?? String(flow.version),
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: true },
    securitySchemes: {
      [SPINE_API_KEY_SCHEME]: {
        scheme: { $case: 'httpAuthSecurityScheme', value: { scheme: 'Bearer', bearerFormat: 'Spine key', description: 'Authorization: Bearer <a Spine key of the flow\'s tenant>' } },
      },
    },
    securityRequirements: [{ schemes: { [SPINE_API_KEY_SCHEME]: { list: [] } } }],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['application/json', 'text/plain'],
    skills: [
      {
        id: flow.id,
        name: flow.name ?? flow.id,
        description,
        tags: ['spine-flow'],
        examples: [],
        inputModes: ['text/plain', 'application/json'],
        outputModes: ['application/json', 'text/plain'],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
}

/**
 * The extended card (GetExtendedAgentCard, behind the tenant's key): the public card plus what only the tenant should
 * read, the flow's version, its nodes in order and the agents they call.
 */
export function extendedFlowAgentCard(flow: FlowVersionView, url: string): AgentCard {
  const card = flowAgentCard(flow, url);
  const agents = [...new Set(flow.nodes.map((n) => n.agent).filter((a): a is string => a !== null))];
  const nodes = `Spine flow ${flow.id} v${flow.version}: ${flow.nodes.map((n) => n.id).join(' → ')}`;
  return {
    ...card,
    skills: card.skills.map((s) => ({
      ...s,
      description: s.description === nodes ? nodes : `${s.description}\n\n${nodes}`,
      tags: [...s.tags, `flow:${flow.id}@${flow.version}`, ...agents.map((a) => `agent:${a}`)],
    })),
  };
}

export function flowDescription(flow: FlowVersionView): string {
  const declared = isObject(flow.definition) ? flow.definition['description'] : undefined;
  if (typeof declared === 'string' && declared.trim()) return declared;
  return `Spine flow ${flow.id} v${flow.version}: ${flow.nodes.map((n) => n.id).join(' → ')}`;
}

/**
 * A message's parts as the flow's input: its text parts (joined by a newline) become `content`, its data parts'
 * fields are merged in (a later part wins). Files are not accepted.
 */
export function flowInputOf(message: Message | undefined): JsonObject {
  const texts: string[] = [];
  let data: JsonObject = {};
  for (const part of message?.parts ?? []) {
    const content = part.content;
    if (content?.$case === 'text') texts.push(content.value);
    else if (content?.$case === 'data') {
      if (!isObject(content.value)) throw SpineError.invalid('a data part must be a JSON object to become flow input', { field: 'message.parts' });
      data = { ...data, ...content.value };
    } else if (content) throw SpineError.invalid(`a ${content.$case} part cannot become flow input; send text or data parts`, { field: 'message.parts' });
  }
  if (texts.length === 0 && Object.keys(data).length === 0) throw SpineError.invalid('the message has no text or data part', { field: 'message.parts' });
  return texts.length > 0 ? { content: texts.join('\n'), ...data } : data;
}

export function taskStateOf(state: ExecutionStateName): TaskState {
  switch (state) {
    case 'DONE':
      return TaskState.TASK_STATE_COMPLETED;
    case 'FAILED':
      return TaskState.TASK_STATE_FAILED;
    case 'WAITING_INPUT':
      return TaskState.TASK_STATE_INPUT_REQUIRED;
    case 'CANCELLED':
      return TaskState.TASK_STATE_CANCELED;
    case 'RECEIVED':
      return TaskState.TASK_STATE_SUBMITTED;
    default:
      return TaskState.TASK_STATE_WORKING;
  }
}

export interface FlowResult {
  /** The final node's output; with several final nodes, their outputs by node id. */
  output: Json;
  /** The streamer's reply text, when the flow has a streamer node that ran. */
  reply?: string;
}

/** The flow's result: the output of its final nodes (nodes nothing depends on) that succeeded, and the streamer's reply. */
export function flowResultOf(flow: Pick<FlowVersionView, 'nodes'>, execution: Pick<ExecutionView, 'nodes'>): FlowResult {
  const runs = new Map(execution.nodes.map((n) => [n.nodeId, n]));
  const dependedOn = new Set(flow.nodes.flatMap((n) => n.dependsOn));
  const finals = flow.nodes.filter((n) => !dependedOn.has(n.id) && runs.get(n.id)?.state === 'succeeded');
  const output: Json =
    finals.length === 1 ? (runs.get(finals[0]!.id)?.output ?? null) : Object.fromEntries(finals.map((n) => [n.id, runs.get(n.id)?.output ?? null]));
  const streamer = flow.nodes.find((n) => n.agent === 'streamer' && runs.get(n.id)?.state === 'succeeded');
  const streamed = streamer ? runs.get(streamer.id)?.output : undefined;
  const reply = isObject(streamed) && typeof streamed['text'] === 'string' ? streamed['text'] : undefined;
  return reply === undefined ? { output } : { output, reply };
}

/** The error an execution ended with, as text for the task's status message. */
function errorText(execution: Pick<ExecutionView, 'error' | 'state'>): string {
  const error = execution.error;
  if (isObject(error) && typeof error['message'] === 'string') return typeof error['code'] === 'string' ? `${error['code']}: ${error['message']}` : error['message'];
  return `the flow ended ${execution.state}`;
}

/**
 * An execution as an A2A task (id = the first execution's id; a follow-up's execution keeps the task's id): the state mapped, the flow's result as an artifact (data part, plus
 * the reply text when a streamer ran) and the status message (the reply, the question, or the error).
 */
export function taskOf(flow: Pick<FlowVersionView, 'nodes'>, execution: ExecutionView, contextId: string, history: Message[] = [], taskId = execution.id): Task {
  const state = taskStateOf(execution.state);
  const artifacts: Artifact[] = [];
  let statusParts: Part[] = [];
  if (execution.state === 'DONE') {
    const result = flowResultOf(flow, execution);
    const parts = [dataPart(result.output), ...(result.reply === undefined ? [] : [textPart(result.reply)])];
    artifacts.push({ artifactId: `${taskId}:result`, name: 'result', description: 'The output of the flow\'s final node', parts, metadata: undefined, extensions: [] });
    statusParts = result.reply === undefined ? [dataPart(result.output)] : [textPart(result.reply)];
  } else if (execution.state === 'FAILED' || execution.state === 'CANCELLED') {
    statusParts = [textPart(errorText(execution)), ...(execution.error === null ? [] : [dataPart(execution.error)])];
  } else if (execution.state === 'WAITING_INPUT') {
    const result = flowResultOf(flow, execution);
    statusParts = result.reply === undefined ? [dataPart(result.output)] : [textPart(result.reply)];
  }
  return {
    id: taskId,
    contextId,
    status: { state, message: statusParts.length > 0 ? agentMessage(statusParts, taskId, contextId) : undefined, timestamp: (execution.finishedAt ?? execution.createdAt).toISOString() },
    artifacts,
    history,
    metadata: { [EXECUTION_METADATA]: { executionId: execution.id, flowId: execution.flowId, flowVersion: execution.flowVersion, state: execution.state } },
  };
}

/** What a human node waiting in the inbox shows an A2A client: its prompt, and what to answer. */
export interface OpenHumanTask {
  id: string;
  prompt: string;
  decisions: readonly string[];
  data?: Json | undefined;
  editSchema?: Json | null | undefined;
}

/**
 * The `input-required` status of a task whose execution waits on a person: the prompt as text, and a data part naming
 * the inbox task, the decisions a follow-up message may take and the data under review.
 */
export function humanInputMessage(t: OpenHumanTask, taskId: string, contextId: string): Message {
  const answer = `Answer with a message whose text is one of: ${t.decisions.join(', ')} (an optional comment after a colon), or a data part { "decision": …, "data": …, "comment": … }.`;
  const data: JsonObject = { inboxTaskId: t.id, decisions: [...t.decisions], ...(t.data === undefined ? {} : { data: t.data }), ...(t.editSchema ? { editSchema: t.editSchema } : {}) };
  return agentMessage([textPart(`${t.prompt}\n\n${answer}`), dataPart(data)], taskId, contextId);
}

export interface DecisionOf {
  decision: 'approve' | 'reject' | 'edit';
  data?: Json;
  comment?: string;
}

const DECISION = /^\s*(approve|reject|edit)\s*(?:[:.,-]\s*([\s\S]*))?$/i;

/**
 * A follow-up message as a decision on the inbox task the task waits on: a data part `{ decision, data?, comment? }`,
 * or a text that starts with the decision (`reject: too expensive`). INVALID_ARGUMENT when it is neither.
 */
export function decisionOf(message: Message | undefined): DecisionOf {
  for (const part of message?.parts ?? []) {
    const content = part.content;
    if (content?.$case === 'data' && isObject(content.value)) return decisionOfData(content.value);
  }
  const text = (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('\n');
  const match = DECISION.exec(text);
  if (!match) throw SpineError.invalid('the task waits on a decision: answer approve, reject or edit (edit with a data part carrying the edited data)', { field: 'message.parts' });
  const comment = match[2]?.trim();
  return { decision: match[1]!.toLowerCase() as DecisionOf['decision'], ...(comment ? { comment: comment.slice(0, 4_000) } : {}) };
}

function decisionOfData({ decision, data, comment }: JsonObject): DecisionOf {
  if (decision !== 'approve' && decision !== 'reject' && decision !== 'edit') throw SpineError.invalid('decision must be approve, reject or edit', { field: 'message.parts.data.decision' });
  if (comment !== undefined && typeof comment !== 'string') throw SpineError.invalid('comment must be text', { field: 'message.parts.data.comment' });
  return { decision, ...(data === undefined ? {} : { data }), ...(comment ? { comment: comment.slice(0, 4_000) } : {}) };
}
