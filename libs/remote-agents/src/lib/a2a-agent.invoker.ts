import { Role, TaskState, type AgentCard, type Message, type Part, type Task } from '@a2a-js/sdk';
import { ClientFactory, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { Logger } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { randomUUID } from 'node:crypto';
import { backgroundFailure, reportBackgroundError } from '@spine/observability';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { EndpointPolicy } from './endpoint-policy.js';
import type { RemoteInvokeRequest, RemoteInvokeResult } from './invoke.types.js';
import { OutputValidator } from './output-validator.js';

export interface A2aInvokeRequest extends RemoteInvokeRequest {
  /** The JSON-RPC URL of the agent's card. */
  endpoint: string;
  /** The agent's name in Spine, for error messages and details. */
  agent: string;
  protocolVersion: string;
  executionId: string;
  nodeId: string;
}

export interface A2aAgentInvokerOptions {
  /** Re-checks DNS answers at connect time. Without it, only registration-time checks apply. */
  policy?: EndpointPolicy;
  validator?: OutputValidator;
  /** The unique part of each message id (`<execution>:<node>:<id>`); random UUIDs by default. */
  newId?: () => string;
}

const POLL_MS = 200;
const CANCEL_TIMEOUT_MS = 2_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What an A2A reply means as a node output: the last data part that is an object, else the text parts as `{ text }`. */
export function outputOfParts(parts: readonly Part[]): Record<string, unknown> | undefined {
  const data = parts.map((p) => (p.content?.$case === 'data' ? (p.content.value as unknown) : undefined)).filter(isObject);
  if (data.length > 0) return data[data.length - 1];
  const texts = parts.flatMap((p) => (p.content?.$case === 'text' ? [p.content.value] : []));
  return texts.length > 0 ? { text: texts.join('') } : undefined;
}

/** A message or a settled task as the node's output; a task that failed, was rejected or wants input is an error. */
export function outputOfReply(reply: Message | Task, agent: string): Record<string, unknown> {
  if ('messageId' in reply) return outputOfParts(reply.parts) ?? {};
  const state = reply.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
  const statusText = outputOfParts(reply.status?.message?.parts ?? [])?.['text'];
  const because = typeof statusText === 'string' ? `: ${statusText.slice(0, 300)}` : '';
  switch (state) {
    case TaskState.TASK_STATE_COMPLETED: {
      const fromArtifacts = outputOfParts(reply.artifacts.flatMap((a) => a.parts));
      return fromArtifacts ?? outputOfParts(reply.status?.message?.parts ?? []) ?? {};
    }
    case TaskState.TASK_STATE_FAILED:
    case TaskState.TASK_STATE_REJECTED:
    case TaskState.TASK_STATE_CANCELED:
      throw new SpineError(ErrorCode.FAILED_PRECONDITION, `A2A agent '${agent}' ended its task ${TaskState[state]}${because}`, { agent, taskId: reply.id, state: TaskState[state] ?? String(state) }, false);
    case TaskState.TASK_STATE_INPUT_REQUIRED:
    case TaskState.TASK_STATE_AUTH_REQUIRED:
      throw new SpineError(ErrorCode.FAILED_PRECONDITION, `A2A agent '${agent}' asks for ${state === TaskState.TASK_STATE_AUTH_REQUIRED ? 'authentication' : 'input'}, which a flow node cannot give${because}`, { agent, taskId: reply.id, state: TaskState[state] ?? String(state) }, false);
    default:
      throw new SpineError(ErrorCode.INTERNAL, `A2A agent '${agent}' answered a task still ${TaskState[state] ?? state}`, { agent, taskId: reply.id }, true);
  }
}

const isSettled = (t: Task) => {
  const s = t.status?.state;
  return s !== TaskState.TASK_STATE_SUBMITTED && s !== TaskState.TASK_STATE_WORKING && s !== TaskState.TASK_STATE_UNSPECIFIED;
};

/**
 * Calls an agent imported from an A2A card: a blocking `SendMessage` over JSON-RPC (the @a2a-js/sdk client) with the
 * node input as a data part; a task still working is polled with `GetTask` until the node's deadline. Connections go
 * through the SSRF policy's lookup, so a changed DNS answer is checked again. A cancel (`signal`) answers CANCELLED
 * and sends `CancelTask` in the background; the output is checked against `outputSchema` when given.
 */
const logger = new Logger('A2aAgentInvoker');

export class A2aAgentInvoker {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly validator: OutputValidator;
  private readonly newId: () => string;

  constructor(private readonly options: A2aAgentInvokerOptions = {}) {
    this.validator = options.validator ?? new OutputValidator();
    this.newId = options.newId ?? randomUUID;
  }

  async invoke(req: A2aInvokeRequest): Promise<RemoteInvokeResult> {
    const output = await this.send(req);
    if (req.outputSchema !== undefined) this.validator.check(req.outputSchema, output);
    return { output };
  }

  private async send(req: A2aInvokeRequest): Promise<unknown> {
    const agent = req.agent;
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    const client = await this.clientOf(req);
    let taskId: string | undefined;
    const message: Message = {
      messageId: `${req.executionId}:${req.nodeId}:${this.newId()}`,
      contextId: req.executionId,
      taskId: '',
      role: Role.ROLE_USER,
      parts: [{ content: { $case: 'data', value: req.input }, mediaType: 'application/json', filename: '', metadata: undefined }],
      metadata: { spine: { executionId: req.executionId, nodeId: req.nodeId } },
      extensions: [],
      referenceTaskIds: [],
    };
    try {
      let reply = await client.sendMessage({ tenant: '', message, configuration: undefined, metadata: undefined }, { signal });
      while (!('messageId' in reply) && !isSettled(reply)) {
        taskId = reply.id;
        await new Promise((r) => setTimeout(r, POLL_MS));
        reply = await client.getTask({ tenant: '', id: reply.id }, { signal });
      }
      return outputOfReply(reply, agent);
    } catch (err) {
      if (req.signal?.aborted) {
        void cancelTasks(client, req.executionId, taskId);
        throw new SpineError(ErrorCode.CANCELLED, `call to A2A agent '${agent}' cancelled`, { agent }, false);
      }
      throw errorOf(err, timeout, agent, req.timeoutMs);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.dispatchers.values()].map((d) => d.close()));
    this.dispatchers.clear();
  }

  private clientOf(req: A2aInvokeRequest): Promise<Client> {
    const url = new URL(req.endpoint);
    const dispatcher = this.dispatcherOf(url);
    const fetchImpl = ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
    const card: AgentCard = {
      name: '', description: '', version: '', provider: undefined, capabilities: { streaming: false, extensions: [] },
      supportedInterfaces: [{ url: req.endpoint, protocolBinding: 'JSONRPC', protocolVersion: req.protocolVersion || '1.0', tenant: '' }],
      securitySchemes: {}, securityRequirements: [], defaultInputModes: [], defaultOutputModes: [], skills: [], signatures: [],
    };
    return new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })] }).createFromAgentCard(card);
  }

  private dispatcherOf(url: URL): Dispatcher {
    let dispatcher = this.dispatchers.get(url.origin);
    if (!dispatcher) {
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      dispatcher = new Agent(this.options.policy ? { connect: { lookup: this.options.policy.lookupFor(port) } } : {});
      this.dispatchers.set(url.origin, dispatcher);
    }
    return dispatcher;
  }
}

/**
 * Best effort, in the background: `CancelTask` on the node's task. A blocking send that was cut short never said
 * which task it started, so the agent's unfinished tasks in the execution's context (its id) are looked up first.
 */
async function cancelTasks(client: Client, contextId: string, taskId: string | undefined): Promise<void> {
  const signal = AbortSignal.timeout(CANCEL_TIMEOUT_MS);
  try {
    const ids = taskId
      ? [taskId]
      : (await client.listTasks({ tenant: '', contextId, status: TaskState.TASK_STATE_UNSPECIFIED, pageToken: '', statusTimestampAfter: undefined }, { signal })).tasks
          .filter((t) => !isSettled(t))
          .map((t) => t.id);
    const cancelFailed = backgroundFailure(logger, 'a2a.cancel_task', { contextId });
    await Promise.all(ids.map((id) => client.cancelTask({ tenant: '', id, metadata: undefined }, { signal }).catch(cancelFailed)));
  } catch (err) {
    // The agent keeps the task; nobody waits for it any more.
    reportBackgroundError(logger, 'a2a.list_tasks', err, { contextId });
  }
}

function errorOf(err: unknown, signal: AbortSignal, agent: string, timeoutMs: number): SpineError {
  if (err instanceof SpineError) return err;
  if (signal.aborted) return new SpineError(ErrorCode.TIMEOUT, `A2A agent '${agent}' did not answer within ${timeoutMs}ms`, { agent, timeoutMs: String(timeoutMs) }, true);
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: unknown; name?: string };
  const cause = String(e.cause?.code ?? e.code ?? e.message ?? 'unknown').slice(0, 300);
  // Transport failures (refused, reset, 5xx) may pass; a JSON-RPC error from the agent is its answer.
  const transport = /ECONN|ENOTFOUND|EAI_AGAIN|UND_ERR|fetch failed|HTTP error|status: 5\d\d/i.test(cause);
  return transport
    ? new SpineError(ErrorCode.AGENT_UNAVAILABLE, `A2A agent '${agent}' unreachable: ${cause}`, { agent, cause }, true)
    : new SpineError(ErrorCode.FAILED_PRECONDITION, `A2A agent '${agent}' refused the message: ${cause}`, { agent, cause }, false);
}
