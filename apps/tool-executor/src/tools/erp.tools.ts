import { Injectable } from '@nestjs/common';
import { matchName } from '@spine/tool-catalog';
import { ErpRepository } from './erp.repository.js';
import { iso, str, type ToolArgs, type ToolCallContext, type ToolOutput } from './tool-call.js';
import { closest, ToolFailure } from './tool-failure.js';

/** Projects, users and tasks: names become ids here, and the business rules are enforced here. */
@Injectable()
export class ErpTools {
  constructor(private readonly erp: ErpRepository) {}

  async createProject(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const name = str(args, 'name')!.trim();
    const existing = await this.erp.project(c.db, c.tenantId, name);
    if (existing) {
      throw new ToolFailure('ALREADY_EXISTS', `a project named "${existing.name}" already exists`, `use the existing project ${existing.id} or choose another name`, 'name');
    }
    const project = await this.erp.insertProject(c.db, c.tenantId, name, str(args, 'description') ?? '');
    return { projectId: project.id, name: project.name };
  }

  async createUser(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const email = str(args, 'email')!;
    const existing = await this.erp.user(c.db, c.tenantId, email);
    if (existing) throw new ToolFailure('ALREADY_EXISTS', `${email} is already a user (${existing.name})`, `use the existing user ${existing.id}`, 'email');
    const user = await this.erp.insertUser(c.db, c.tenantId, str(args, 'name')!.trim(), email);
    return { userId: user.id, name: user.name, email: user.email };
  }

  async createTask(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const project = await this.resolveProject(c, str(args, 'project')!);
    const dueAt = new Date(str(args, 'dueAt')!);
    if (dueAt.getTime() < c.now.getTime()) {
      throw new ToolFailure('FAILED_PRECONDITION', `the due date ${iso(dueAt)} is in the past`, `choose a due date after ${iso(c.now)}`, 'dueAt');
    }
    const assigneeRef = str(args, 'assignee');
    const assignee = assigneeRef === undefined ? undefined : await this.resolveUser(c, assigneeRef);
    const priority = str(args, 'priority') ?? 'medium';
    const title = str(args, 'title')!.trim();
    const taskId = await this.erp.insertTask(c.db, c.tenantId, { projectId: project.id, title, dueAt, assigneeId: assignee?.id ?? null, priority, createdBy: c.userId });
    return { taskId, title, projectId: project.id, project: project.name, dueAt: iso(dueAt), priority, assigneeId: assignee?.id ?? null, assignee: assignee?.name ?? null };
  }

  async listTasks(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const projectRef = str(args, 'project');
    const assigneeRef = str(args, 'assignee');
    const since = str(args, 'createdSince');
    const project = projectRef === undefined ? undefined : await this.resolveProject(c, projectRef);
    const assignee = assigneeRef === undefined ? undefined : await this.resolveUser(c, assigneeRef);
    const tasks = await this.erp.tasks(c.db, c.tenantId, { projectId: project?.id, assigneeId: assignee?.id, createdSince: since ? new Date(since) : undefined });
    return {
      count: tasks.length,
      tasks: tasks.map((t) => ({ taskId: t.id, title: t.title, projectId: t.projectId, project: t.project, dueAt: iso(t.dueAt), priority: t.priority, createdAt: iso(t.createdAt) })),
    };
  }

  private async resolveProject(c: ToolCallContext, ref: string) {
    const project = await this.erp.project(c.db, c.tenantId, ref);
    if (project) return project;
    const all = await this.erp.projectNames(c.db, c.tenantId);
    // Smart tool (seed 003 §2.1): "intranet", "Logistica", "Intrnet" are the tenant's one project of that name.
    const matched = matchName(all, ref);
    const found = matched === undefined ? undefined : await this.erp.project(c.db, c.tenantId, matched);
    if (found) return found;
    const names = closest(all, ref);
    const suggestion = names.length > 0 ? `existing projects: ${names.join(', ')}` : 'create the project first with createProject';
    throw new ToolFailure('NOT_FOUND', `no project "${ref}"`, suggestion, 'project');
  }

  private async resolveUser(c: ToolCallContext, ref: string) {
    const user = await this.erp.user(c.db, c.tenantId, ref);
    if (user) return user;
    const all = await this.erp.userNames(c.db, c.tenantId);
    // "Ana" is Ana García when she is the tenant's only Ana; "maria" is María.
    const matched = matchName(all, ref);
    const found = matched === undefined ? undefined : await this.erp.user(c.db, c.tenantId, matched);
    if (found) return found;
    const names = closest(all, ref);
    const suggestion = names.length > 0 ? `users of this tenant: ${names.join(', ')}` : 'an admin can add the user with createUser';
    throw new ToolFailure('NOT_FOUND', `no user "${ref}" in this tenant`, suggestion, 'assignee');
  }
}
