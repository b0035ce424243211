import type { MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import { ExecutionState, OrchestratorService, SpineError } from '@spine/contracts';
import type { Principal, Role } from '../auth/principal.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import type { Json } from '../store/execution.model.js';
import { ExecutionFeed, parsePosition } from '../executions/execution-feed.js';
import { assertExecutionId, ExecutionsService } from '../executions/executions.service.js';
import { FlowsService } from '../flows/flows.service.js';
import { InboxService } from '../inbox/inbox.service.js';
import { decisionBodyOf, humanTaskOf, inboxFilterOf, taskIdOf } from './inbox.mapper.js';
import { checkId, KNOWLEDGE_ROLES } from '../knowledge/knowledge.input.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { knowledgeDocumentOf, listQueryOf, searchQueryOf, submissionOf } from './knowledge.mapper.js';
import { conversationOf, messageInputOf, newConversationOf } from './conversation.mapper.js';
import { executionOf, flowDocumentOf, flowSummaryOf, flowVersionOf, updateOf } from './orchestrator.mapper.js';
import { callerInput } from '../auth/caller-input.js';

type Methods = typeof OrchestratorService.method;
type In<K extends keyof Methods> = MessageShape<Methods[K]['input']>;
type Out<K extends keyof Methods> = MessageInitShape<Methods[K]['output']>;

/** One function per RPC, given the authenticated caller; GrpcServer does auth, errors and streaming. */
export type OrchestratorHandlers = {
  [K in keyof Methods]: Methods[K]['methodKind'] extends 'server_streaming'
    ? (p: Principal, req: In<K>, signal: AbortSignal) => AsyncIterable<Out<K>>
    : (p: Principal, req: In<K>) => Promise<Out<K>>;
};

/** Roles a method needs; the others take any valid key (as the REST routes). */
const REVIEWERS: readonly Role[] = ['reviewer', 'admin'];
export const METHOD_ROLES: Partial<Record<keyof Methods, readonly Role[]>> = {
  deployFlow: ['admin'],
  listHumanTasks: REVIEWERS,
  getHumanTask: REVIEWERS,
  decideHumanTask: REVIEWERS,
  putKnowledgeDocument: KNOWLEDGE_ROLES,
  listKnowledgeDocuments: KNOWLEDGE_ROLES,
  getKnowledgeDocument: KNOWLEDGE_ROLES,
  deleteKnowledgeDocument: KNOWLEDGE_ROLES,
  searchKnowledge: KNOWLEDGE_ROLES,
  reindexKnowledge: ['admin'],
};

const MAX_WAIT_MS = 300_000;

function waitTimeoutOf(ms: number): number {
  if (ms > MAX_WAIT_MS) throw SpineError.invalid(`wait_timeout_ms must be at most ${MAX_WAIT_MS}`, { field: 'wait_timeout_ms' });
  return ms || 60_000;
}

/** `spine.orchestrator.v1.OrchestratorService`: each RPC parses its request and calls one service method, as the REST controllers do. */
@Injectable()
export class OrchestratorGrpc {
  constructor(
    private readonly flows: FlowsService,
    private readonly executions: ExecutionsService,
    private readonly feed: ExecutionFeed,
    private readonly conversations: ConversationsService,
    private readonly inbox: InboxService,
    private readonly knowledge: KnowledgeService,
  ) {}

  readonly handlers: OrchestratorHandlers = {
    deployFlow: async (p, req) => ({ flow: flowVersionOf(await this.flows.deploy(p.tenantId, flowDocumentOf(req.flow))) }),
    validateFlow: async (p, req) => this.flows.validate(p.tenantId, flowDocumentOf(req.flow)),
    getFlow: async (p, req) => ({ flow: flowVersionOf(await this.flows.get(p.tenantId, req.flowId, req.version || undefined)) }),
    listFlows: async (p) => ({ flows: (await this.flows.list(p.tenantId)).flows.map(flowSummaryOf) }),
    startExecution: async (p, req) => {
      const timeoutMs = waitTimeoutOf(req.waitTimeoutMs);
      const row = await this.executions.start(p.tenantId, req.flowId, callerInput(p, (req.input ?? {}) as Json), req.version ? { version: req.version } : {});
      return { execution: executionOf(req.wait ? await this.executions.waitFor(p.tenantId, row.id, timeoutMs) : row) };
    },
    getExecution: async (p, req) => ({ execution: executionOf(await this.executions.get(p.tenantId, req.executionId)) }),
    cancelExecution: async (p, req) => {
      const cancelled = await this.executions.cancel(p.tenantId, req.executionId);
      return { executionId: cancelled.executionId, state: ExecutionState[cancelled.state] };
    },
    streamExecution: (p, req, signal) => this.stream(p, req.executionId, req.resumeFrom, signal),
    createConversation: async (p, req) => ({ conversation: conversationOf(await this.conversations.create(p, newConversationOf(req))) }),
    getConversation: async (p, req) => ({ conversation: conversationOf(await this.conversations.get(p.tenantId, req.conversationId)) }),
    sendMessage: async (p, req) => this.conversations.send(p, req.conversationId, messageInputOf(req)),
    listHumanTasks: async (p, req) => ({ tasks: (await this.inbox.list(p, inboxFilterOf(req))).map(humanTaskOf) }),
    getHumanTask: async (p, req) => ({ task: humanTaskOf(await this.inbox.get(p, taskIdOf(req.taskId))) }),
    decideHumanTask: async (p, req) => ({ task: humanTaskOf(await this.inbox.decide(p, taskIdOf(req.taskId), decisionBodyOf(req))) }),
    putKnowledgeDocument: async (p, req) => ({ document: knowledgeDocumentOf(await this.knowledge.submit(p.tenantId, submissionOf(req))) }),
    listKnowledgeDocuments: async (p, req) => {
      const query = listQueryOf(req);
      const rows = await this.knowledge.list(p.tenantId, query);
      return { documents: rows.map(knowledgeDocumentOf), next: rows.length === query.limit ? rows.at(-1)!.documentId : '' };
    },
    getKnowledgeDocument: async (p, req) => {
      const { document, chunks } = await this.knowledge.get(p.tenantId, checkId(req.documentId));
      return { document: knowledgeDocumentOf(document), chunks };
    },
    deleteKnowledgeDocument: async (p, req) => {
      await this.knowledge.remove(p.tenantId, checkId(req.documentId));
      return {};
    },
    searchKnowledge: async (p, req) => ({ snippets: await this.knowledge.search(p.tenantId, searchQueryOf(req)) }),
    reindexKnowledge: async (p) => ({ documents: await this.knowledge.reindex(p.tenantId) }),
  };

  private async *stream(p: Principal, executionId: string, resumeFrom: string, signal: AbortSignal) {
    assertExecutionId(executionId);
    for await (const item of this.feed.follow(p.tenantId, executionId, parsePosition(resumeFrom), signal)) yield updateOf(executionId, p.tenantId, item);
  }
}
