import { AgentCard } from '@a2a-js/sdk';
import { DefaultExecutionEventBusManager, DefaultRequestHandler } from '@a2a-js/sdk/server';
import { jsonRpcHandler } from '@a2a-js/sdk/server/express';
import { legacyAgentCardRouter } from '@a2a-js/sdk/compat/v0_3/server/express';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, httpStatusOf, SpineError } from '@spine/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessService } from '../auth/access.service.js';
import type { Principal } from '../auth/principal.js';
import type { FlowVersionView } from '../flows/flows.service.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { extendedFlowAgentCard, flowAgentCard } from './a2a.mapper.js';
import { A2aService } from './a2a.service.js';
import { FlowAgentExecutor, type SpineUser } from './flow-agent.executor.js';
import { FlowTaskStore, RecentTasks } from './flow-task.store.js';
import { checkListParams, InvalidTaskQuery } from './task-list.js';

const MAX_AGENTS = 1_000;
const BASE_PATH = '/a2a/:tenant/:flowId';
export const CARD_PATH = '/.well-known/agent-card.json';

/** The parts of Express's request and response used here (the app runs on @nestjs/platform-express). */
interface A2aRequest extends IncomingMessage {
  params: Record<string, string | undefined>;
  protocol: string;
  get(name: string): string | undefined;
  /** Who the request was admitted as, read back by the SDK's user builder. */
  spinePrincipal?: Principal;
}
interface A2aResponse extends ServerResponse {
  status(code: number): A2aResponse;
  json(body: unknown): void;
}
type Next = (err?: unknown) => void;
type Handler = (req: A2aRequest, res: A2aResponse, next: Next) => void;

interface FlowAgent {
  card: Handler;
  rpc: Handler;
}

const userOf = (req: A2aRequest): Promise<SpineUser> => Promise.resolve({ isAuthenticated: true, userName: req.spinePrincipal?.keyId ?? '', principal: req.spinePrincipal });

/** A JSON-RPC ListTasks whose params A2A refuses and the SDK lets through: answered -32602 here (true). */
function refusedListTasks(req: A2aRequest, res: A2aResponse): boolean {
  const body = (req as { body?: unknown }).body as { id?: unknown; method?: unknown; params?: unknown } | undefined;
  if (body?.method !== 'ListTasks' && body?.method !== 'tasks/list') return false;
  try {
    checkListParams(body.params);
    return false;
  } catch (err) {
    if (!(err instanceof InvalidTaskQuery)) throw err;
    const id = typeof body.id === 'string' || typeof body.id === 'number' ? body.id : null;
    res.status(200).json({ jsonrpc: '2.0', id, error: { code: -32602, message: err.message } });
    return true;
  }
}

/**
 * Every flow as an A2A agent, under `/a2a/{tenant}/{flowId}`: the card at `.well-known/agent-card.json` and JSON-RPC
 * (A2A 1.0 `SendMessage`/`GetTask`, and 0.3 `message/send`/`tasks/get`) at the base URL. Both need an API key of the
 * tenant (`Authorization: Bearer`); another tenant's flow is not found. One SDK request handler per flow version.
 */
@Injectable()
export class A2aRouter {
  private readonly logger = new Logger(A2aRouter.name);
  private readonly agents = new Map<string, FlowAgent>();
  private readonly recent = new RecentTasks();
  private readonly buses = new DefaultExecutionEventBusManager();

  constructor(
    private readonly access: AccessService,
    private readonly a2a: A2aService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  /** Mounts the card (first: its path is under the JSON-RPC one) and the JSON-RPC endpoint on the HTTP app. */
  mount(app: { use(path: string, handler: Handler): unknown }): void {
    const root = this.config.A2A_ROOT_FLOW?.split('/');
    if (root) {
      app.use(CARD_PATH, (req, res, next) => {
        req.params = { tenant: root[0], flowId: root[1] };
        void this.route(req, res, next, 'card');
      });
    }
    app.use(`${BASE_PATH}${CARD_PATH}`, (req, res, next) => void this.route(req, res, next, 'card'));
    app.use(BASE_PATH, (req, res, next) => void this.route(req, res, next, 'rpc'));
  }

  /** The card is public, as agent cards are (it names the flow and how to authenticate); JSON-RPC needs a key of the tenant. */
  private async route(req: A2aRequest, res: A2aResponse, next: Next, part: keyof FlowAgent): Promise<void> {
    try {
      const { tenant = '', flowId = '' } = req.params;
      let flow: FlowVersionView;
      if (part === 'card') {
        flow = await this.a2a.publicFlow(tenant, flowId);
      } else {
        const principal = await this.access.admit(req.headers);
        flow = await this.a2a.flowOf(principal, tenant, flowId);
        req.spinePrincipal = principal;
        if (refusedListTasks(req, res)) return;
      }
      this.agentOf(tenant, flow, this.urlOf(req, tenant, flowId))[part](req, res, next);
    } catch (err) {
      this.fail(res, err);
    }
  }

  private agentOf(tenantId: string, flow: FlowVersionView, url: string): FlowAgent {
    const key = `${tenantId}/${flow.id}@${flow.version} ${url}`;
    const known = this.agents.get(key);
    if (known) return known;
    const card = flowAgentCard(flow, url);
    // The extended card is read through JSON-RPC, which only a key of the tenant reaches.
    const extended = extendedFlowAgentCard(flow, url);
    const handler = new DefaultRequestHandler(card, new FlowTaskStore(this.a2a, this.recent, tenantId, flow), new FlowAgentExecutor(this.a2a, tenantId, flow, this.recent), this.buses, undefined, undefined, extended);
    const legacyCard = legacyAgentCardRouter({ agentCardProvider: handler, cache: { maxAge: 0 } }) as Handler;
    const agent: FlowAgent = {
      card: (req, res, next) => {
        // No A2A-Version means 0.3 (the SDK's rule). The SDK's 1.0 card handler writes its in-memory model, not the
        // protobuf JSON form clients read, so the 1.0 card is written here.
        if ((req.get('a2a-version') ?? '0.3').startsWith('0.')) return legacyCard(req, res, next);
        res.setHeader('Vary', 'A2A-Version');
        res.setHeader('Cache-Control', 'no-cache');
        res.json(AgentCard.toJSON(card));
      },
      rpc: jsonRpcHandler({ requestHandler: handler, userBuilder: userOf as never, legacyCompat: { enabled: true } }) as Handler,
    };
    if (this.agents.size >= MAX_AGENTS) this.agents.delete(this.agents.keys().next().value as string);
    this.agents.set(key, agent);
    return agent;
  }

  private urlOf(req: A2aRequest, tenant: string, flowId: string): string {
    const base = this.config.A2A_PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return `${base.replace(/\/+$/, '')}/a2a/${encodeURIComponent(tenant)}/${encodeURIComponent(flowId)}`;
  }

  private fail(res: A2aResponse, err: unknown): void {
    const error = SpineError.from(err);
    if (!(err instanceof SpineError)) this.logger.error({ msg: 'a2a.failed', err: (err as Error).message });
    if (error.code === ErrorCode.UNAUTHENTICATED) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(httpStatusOf(error.code)).json(error.toJson());
  }
}
