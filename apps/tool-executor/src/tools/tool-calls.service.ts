import type { JsonObject } from '@bufbuild/protobuf';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChunkPublisher, type InvokeContext } from '@spine/agent-kit';
import { ChunkKind, ErrorCode, SpineError, type ToolCallsInput } from '@spine/contracts';
import { toolSpec, type ToolName, type ToolSpec } from '@spine/tool-catalog';
import { DataSource } from 'typeorm';
import { argumentProblems } from './args.validator.js';
import { CalendarTools } from './calendar.tools.js';
import { Clock } from '@spine/agent-kit';
import { ErpTools } from './erp.tools.js';
import { McpTools, type McpTarget } from './mcp.tools.js';
import { TemplateTools } from './template.tools.js';
import { LEDGER_KEY_CONSTRAINT, LedgerRepository } from './ledger.repository.js';
import type { Outcome } from './outcome.js';
import type { ToolArgs, ToolCallContext, ToolOutput } from './tool-call.js';
import { ToolFailure } from './tool-failure.js';
import { pgCode, pgConstraint, retryTransient } from './transient.js';

export interface CallResult {
  tool: string;
  callIndex: number;
  outcome: Outcome;
  replayed: boolean;
}

/** Whom a call acts for, and the zone and language its answers are for. */
type Who = Pick<ToolCallContext, 'userId' | 'tenantId' | 'timezone' | 'locale' | 'roles'>;

function validZone(zone: string): string {
  if (!zone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/** A checked call: a catalog tool, or a tool of one of the tenant's MCP servers. */
interface CatalogCall {
  spec: ToolSpec;
  mcp?: undefined;
  args: ToolArgs;
}
type Checked = CatalogCall | { spec?: undefined; mcp: McpTarget; args: ToolArgs };

/** Runs a node's tool calls: permission, scope and schema first (all or nothing), then each call once. */
@Injectable()
export class ToolCallsService {
  private readonly logger = new Logger(ToolCallsService.name);
  private readonly run: Record<ToolName, (args: ToolArgs, c: ToolCallContext) => Promise<ToolOutput>>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly clock: Clock,
    private readonly mcp: McpTools,
    private readonly chunks: ChunkPublisher,
    erp: ErpTools,
    calendar: CalendarTools,
    templates: TemplateTools,
  ) {
    this.run = {
      createProject: (a, c) => erp.createProject(a, c),
      createUser: (a, c) => erp.createUser(a, c),
      createTask: (a, c) => erp.createTask(a, c),
      listTasks: (a, c) => erp.listTasks(a, c),
      completeTask: (a, c) => erp.completeTask(a, c),
      updateTask: (a, c) => erp.updateTask(a, c),
      deleteTask: (a, c) => erp.deleteTask(a, c),
      createCalendarEvent: (a, c) => calendar.createCalendarEvent(a, c),
      updateCalendarEvent: (a, c) => calendar.updateCalendarEvent(a, c),
      listCalendarEvents: (a, c) => calendar.listCalendarEvents(a, c),
      deleteCalendarEvent: (a, c) => calendar.deleteCalendarEvent(a, c),
      lookupNames: (a, c) => erp.lookupNames(a, c),
      send_template: (a, c) => templates.sendTemplate(a, c),
    };
  }

  async execute(input: ToolCallsInput, ctx: InvokeContext): Promise<CallResult[]> {
    const checked = this.check(input, ctx);
    const results: CallResult[] = [];
    for (const [index, call] of checked.entries()) {
      const key = `${ctx.executionId}:${ctx.nodeId}:${index}`;
      const who = { userId: input.userId, tenantId: ctx.tenantId, timezone: validZone(input.timezone), locale: input.language === 'en' ? ('en' as const) : ('es' as const), roles: input.roles };
      // The user sees what is running while it runs; a retried node republishes the same ids, stored once.
      const progress = call.mcp ? (who.locale === 'en' ? `Calling ${call.mcp.name}…` : `Llamando a ${call.mcp.name}…`) : call.spec.progress[who.locale];
      // The flow's own lookups (lookupNames) are not something the user asked for: nothing to show.
      if (!call.spec?.internal) await this.chunks.publish({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.nodeId, sequence: index + 1, kind: ChunkKind.PROGRESS, text: progress, final: false });
      if (call.mcp) {
        const { outcome, replayed } = await this.callMcp(call.mcp, call.args, key, who.tenantId, ctx);
        this.logger.log({ msg: 'tool.called', tool: call.mcp.name, ok: outcome.ok, replayed });
        results.push({ tool: call.mcp.name, callIndex: index, outcome, replayed });
        continue;
      }
      const { outcome, replayed } = call.spec.writes ? await this.write(call, key, who) : { outcome: await this.read(call, who), replayed: false };
      this.logger.log({ msg: 'tool.called', tool: call.spec.name, ok: outcome.ok, replayed });
      results.push({ tool: call.spec.name, callIndex: index, outcome, replayed });
    }
    return results;
  }

  private check(input: ToolCallsInput, ctx: InvokeContext): Checked[] {
    if (!ctx.tenantId) throw SpineError.invalid('tenant is required', { field: 'tenant_id' });
    if (!input.userId) throw SpineError.invalid('user_id is required', { field: 'input.user_id' });
    if (!ctx.executionId || !ctx.nodeId) throw SpineError.invalid('execution_id and node_id are required: they key the idempotency ledger', { field: 'execution_id' });
    const allowed = new Set(ctx.scope?.allowedTools ?? []);
    return input.calls.map((call, i): Checked => {
      const spec = toolSpec(call.tool);
      const at = `calls[${i}]`;
      const mcp = spec ? undefined : this.mcp.resolve(call.tool, ctx.context);
      if (mcp) {
        if (!allowed.has(mcp.name)) throw new SpineError(ErrorCode.PERMISSION_DENIED, `${at}: ${mcp.name} is outside the flow's allowedTools`, { field: `${at}.tool`, reason: 'scope' });
        // The server checks arguments against the schema it published (flows were typed from it at deploy).
        return { mcp, args: structuredClone((call.arguments ?? {}) as JsonObject) as ToolArgs };
      }
      if (!spec) throw SpineError.invalid(`${at}: unknown tool ${JSON.stringify(call.tool)}`, { field: `${at}.tool` });
      if (!allowed.has(spec.name)) throw new SpineError(ErrorCode.PERMISSION_DENIED, `${at}: ${spec.name} is outside the flow's allowedTools`, { field: `${at}.tool`, reason: 'scope' });
      if (!input.roles.some((r) => spec.roles.includes(r))) {
        throw new SpineError(ErrorCode.PERMISSION_DENIED, `${at}: ${spec.name} needs one of the roles ${spec.roles.join(', ')}`, { field: `${at}.tool`, reason: 'role' });
      }
      const args = structuredClone((call.arguments ?? {}) as JsonObject) as ToolArgs;
      const problems = argumentProblems(spec.name, args);
      if (problems.length > 0) throw SpineError.invalid(`${at}: invalid arguments for ${spec.name}: ${problems.join('; ')}`, { field: `${at}.arguments`, problems: problems.join('; ') });
      return { spec, args };
    });
  }

  private async write(call: CatalogCall, key: string, who: Who): Promise<{ outcome: Outcome; replayed: boolean }> {
    const { tenantId } = who;
    try {
      return await retryTransient(() =>
        this.db.transaction(async (m) => {
          const prior = await this.ledger.find(m, key, tenantId);
          if (prior) return { outcome: prior, replayed: true };
          const outcome = await this.attempt(call, { ...who, db: m, now: this.clock.now() });
          await this.ledger.record(m, key, tenantId, call.spec.name, outcome);
          return { outcome, replayed: false };
        }),
      );
    } catch (err) {
      // A concurrent attempt of the same call committed first: answer with its outcome.
      if (pgCode(err) === '23505' && pgConstraint(err) === LEDGER_KEY_CONSTRAINT) {
        const prior = await this.ledger.find(this.db, key, tenantId);
        if (prior) return { outcome: prior, replayed: true };
      }
      throw err;
    }
  }

  /** Through the same ledger as the ERP writes (unless the server marks the tool read-only): a retried node replays. */
  private async callMcp(target: McpTarget, args: ToolArgs, key: string, tenantId: string, ctx: InvokeContext): Promise<{ outcome: Outcome; replayed: boolean }> {
    const call = () => this.mcp.call(tenantId, target, args, { key, deadline: ctx.deadline, signal: ctx.signal, now: this.clock.now().getTime() });
    if (target.readOnly) return { outcome: await call(), replayed: false };
    const prior = await this.ledger.find(this.db, key, tenantId);
    if (prior) return { outcome: prior, replayed: true };
    const outcome = await call();
    try {
      await this.ledger.record(this.db, key, tenantId, target.name, outcome);
    } catch (err) {
      // A concurrent attempt of the same call recorded first: answer with its outcome.
      if (pgCode(err) !== '23505' || pgConstraint(err) !== LEDGER_KEY_CONSTRAINT) throw err;
      const first = await this.ledger.find(this.db, key, tenantId);
      if (first) return { outcome: first, replayed: true };
    }
    return { outcome, replayed: false };
  }

  private read(call: CatalogCall, who: Who): Promise<Outcome> {
    return retryTransient(() => this.attempt(call, { ...who, db: this.db, now: this.clock.now() }));
  }

  private async attempt(call: CatalogCall, c: ToolCallContext): Promise<Outcome> {
    try {
      return { ok: true, result: await this.run[call.spec.name](call.args, c) };
    } catch (err) {
      if (!(err instanceof ToolFailure)) throw err;
      return { ok: false, error: { code: err.code, message: err.message, suggestion: err.suggestion, field: err.field } };
    }
  }
}
