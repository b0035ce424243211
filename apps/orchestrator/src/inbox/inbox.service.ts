import { Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Principal } from '../auth/principal.js';
import type { Json } from '../store/execution.model.js';
import type { Decide, HumanDecision, HumanTask, InboxFilter } from './human-task.model.js';
import { HumanTasksRepository } from './human-tasks.repository.js';
import { HumanWaits } from './human-waits.js';

export interface DecisionBody {
  decision: HumanDecision;
  data?: Json;
  comment?: string;
}

/** The inbox API: a tenant's open tasks, one task, and the one decision a task takes. */
@Injectable()
export class InboxService {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false });

  constructor(
    private readonly tasks: HumanTasksRepository,
    private readonly waits: HumanWaits,
  ) {}

  list(p: Principal, filter: InboxFilter): Promise<HumanTask[]> {
    return this.tasks.listOpen(p.tenantId, filter);
  }

  /** Open tasks by tenant id alone: for the doors (A2A) that show a task to whoever may see its execution. */
  listOpen(tenantId: string, filter: InboxFilter): Promise<HumanTask[]> {
    return this.tasks.listOpen(tenantId, filter);
  }

  find(tenantId: string, id: string): Promise<HumanTask | undefined> {
    return this.tasks.get(tenantId, id);
  }

  async get(p: Principal, id: string): Promise<HumanTask> {
    return (await this.tasks.get(p.tenantId, id)) ?? throwNotFound(id);
  }

  /** Once only: a task no longer open answers 409 (ALREADY_EXISTS); an edit must match the task's schema. */
  async decide(p: Principal, id: string, body: DecisionBody): Promise<HumanTask> {
    const task = await this.get(p, id);
    if (p.role !== 'admin' && p.role !== task.assigneeRole) {
      throw new SpineError(ErrorCode.PERMISSION_DENIED, `task ${id} is for the role ${task.assigneeRole}; the key has ${p.role}`, { taskId: id });
    }
    if (task.state !== 'open') throw alreadyDecided(task);
    if (!task.decisions.includes(body.decision)) throw SpineError.invalid(`decision must be one of ${task.decisions.join(', ')}`, { decision: body.decision });
    if (body.decision === 'edit') this.checkEdit(task, body.data);
    const d: Decide = { decision: body.decision, decidedBy: p.keyId, ...(body.data !== undefined && body.decision === 'edit' ? { data: body.data } : {}), ...(body.comment ? { comment: body.comment } : {}) };
    const decided = await this.tasks.decide(p.tenantId, id, d);
    if (!decided) throw alreadyDecided((await this.tasks.get(p.tenantId, id)) ?? task);
    this.waits.hint(id);
    return decided;
  }

  private checkEdit(task: HumanTask, data: Json | undefined): void {
    if (data === undefined) throw SpineError.invalid('an edit carries the edited data', { field: 'data' });
    if (!task.editSchema) return;
    const validate = this.ajv.compile(task.editSchema as object);
    if (validate(data)) return;
    const problems = Object.fromEntries((validate.errors ?? []).map((e) => [`data${e.instancePath.replaceAll('/', '.')}`, e.message ?? 'is invalid']));
    throw SpineError.invalid(`the edited data does not match the task's schema: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
  }
}

function throwNotFound(id: string): never {
  throw SpineError.notFound(`no task '${id}'`);
}

function alreadyDecided(task: HumanTask): SpineError {
  return new SpineError(ErrorCode.ALREADY_EXISTS, `task ${task.id} is already ${task.state}${task.decision ? ` (${task.decision})` : ''}`, { taskId: task.id, state: task.state });
}
