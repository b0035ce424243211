import { Injectable } from '@nestjs/common';
import { matchName } from '@spine/tool-catalog';
import { localTime } from './calendar.tools.js';
import { ErpRepository, type Task } from './erp.repository.js';

const isMe = (ref: string) => /^(?:me|yo|mi|mis|my|mine|myself)$/i.test(ref.trim());
import { iso, str, type ToolArgs, type ToolCallContext, type ToolOutput } from './tool-call.js';
import { closest, ToolFailure } from './tool-failure.js';

const NAMES_LIMIT = 500;
const TITLES_LIMIT = 200;

/** Projects, users and tasks: names become ids here, and the business rules are enforced here. */
@Injectable()
export class ErpTools {
  constructor(private readonly erp: ErpRepository) {}

  async createProject(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const name = str(args, 'name')!.trim();
    const existing = await this.erp.project(c.db, c.tenantId, name);
    if (existing) {
      const es = c.locale === 'es';
      throw new ToolFailure('ALREADY_EXISTS', es ? `ya existe un proyecto llamado «${existing.name}»` : `a project named "${existing.name}" already exists`, es ? 'Usa ese proyecto o elige otro nombre.' : 'Use that project or choose another name.', 'name');
    }
    const project = await this.erp.insertProject(c.db, c.tenantId, name, str(args, 'description') ?? '');
    return { projectId: project.id, name: project.name };
  }

  async createUser(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const email = str(args, 'email')!;
    const existing = await this.erp.user(c.db, c.tenantId, email);
    if (existing) {
      const es = c.locale === 'es';
      throw new ToolFailure('ALREADY_EXISTS', es ? `${email} ya es un usuario (${existing.name})` : `${email} is already a user (${existing.name})`, es ? 'Usa ese usuario.' : 'Use that user.', 'email');
    }
    const user = await this.erp.insertUser(c.db, c.tenantId, str(args, 'name')!.trim(), email);
    return { userId: user.id, name: user.name, email: user.email };
  }

  async createTask(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const project = await this.resolveProject(c, str(args, 'project')!);
    const dueAt = new Date(str(args, 'dueAt')!);
    if (dueAt.getTime() < c.now.getTime()) {
      const es = c.locale === 'es';
      throw new ToolFailure('FAILED_PRECONDITION', es ? `la fecha límite (${localTime(dueAt, c)}) ya pasó` : `the due date (${localTime(dueAt, c)}) is in the past`, es ? 'Elige una fecha a partir de ahora.' : 'Choose a date from now on.', 'dueAt');
    }
    const assigneeRef = str(args, 'assignee');
    const assignee = assigneeRef === undefined ? undefined : await this.resolveUser(c, assigneeRef);
    const priority = str(args, 'priority') ?? 'medium';
    const title = str(args, 'title')!.trim();
    const taskId = await this.erp.insertTask(c.db, c.tenantId, { projectId: project.id, title, dueAt, assigneeId: assignee?.id ?? null, priority, createdBy: c.userId });
    return { taskId, title, projectId: project.id, project: project.name, dueAt: iso(dueAt), priority, assigneeId: assignee?.id ?? null, assignee: assignee?.name ?? null };
  }

  /**
   * Tasks filtered by project, assignee, creator, status and due window. "me" is the caller (issue 16): tasks
   * assigned to the tenant user the caller is (same id or email), or created by the caller and assigned to nobody.
   */
  async listTasks(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const projectRef = str(args, 'project');
    const assigneeRef = str(args, 'assignee');
    const creatorRef = str(args, 'createdBy');
    const when = (k: string) => (str(args, k) ? new Date(str(args, k)!) : undefined);
    const project = projectRef === undefined ? undefined : await this.resolveProject(c, projectRef);
    const mine = assigneeRef !== undefined && isMe(assigneeRef);
    const assignee = assigneeRef === undefined || mine ? undefined : await this.resolveUser(c, assigneeRef);
    const me = mine || (creatorRef !== undefined && isMe(creatorRef)) ? await this.erp.user(c.db, c.tenantId, c.userId) : undefined;
    const creator = creatorRef === undefined ? undefined : isMe(creatorRef) ? [c.userId, ...(me ? [me.id, me.email] : [])] : await this.creatorKeys(c, creatorRef);
    const tasks = await this.erp.tasks(c.db, c.tenantId, {
      projectId: project?.id,
      assigneeId: assignee?.id,
      ...(mine ? { mine: { userId: c.userId, ...(me ? { assigneeId: me.id } : {}) } } : {}),
      createdBy: creator,
      status: str(args, 'status'),
      createdSince: when('createdSince'),
      createdTo: when('createdTo'),
      dueFrom: when('dueFrom'),
      dueTo: when('dueTo'),
    });
    return {
      count: tasks.length,
      tasks: tasks.map((t) => ({ taskId: t.id, title: t.title, projectId: t.projectId, project: t.project, dueAt: iso(t.dueAt), priority: t.priority, status: t.status, createdAt: iso(t.createdAt) })),
    };
  }

  /** Marks a task done, found by id or title among the tenant's open tasks (its latest when several share it). */
  async completeTask(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const task = await this.findTask(c, str(args, 'task')!);
    await this.erp.completeTask(c.db, c.tenantId, task.id, c.now);
    return { taskId: task.id, title: task.title, projectId: task.projectId, project: task.project, status: 'done' };
  }

  /**
   * Changes an open task (found as completeTask finds it): only the fields given. The rules createTask keeps hold
   * here too: a due date from now on, an assignee who is a user of the tenant, a title that is not blank.
   */
  async updateTask(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const es = c.locale === 'es';
    const task = await this.findTask(c, str(args, 'task')!);
    const title = str(args, 'title')?.trim();
    const due = str(args, 'dueAt');
    const assigneeRef = str(args, 'assignee');
    const priority = str(args, 'priority');
    if (title === undefined && due === undefined && assigneeRef === undefined && priority === undefined) {
      throw new ToolFailure('INVALID_ARGUMENT', es ? `no me dijiste qué cambiar de «${task.title}»` : `you did not say what to change in "${task.title}"`, es ? 'Dime la nueva fecha, prioridad, responsable o título.' : 'Tell me the new due date, priority, assignee or title.', 'task');
    }
    if (task.status !== 'open') {
      throw new ToolFailure('FAILED_PRECONDITION', es ? `la tarea «${task.title}» ya está hecha` : `the task "${task.title}" is already done`, es ? 'Crea una tarea nueva si queda algo por hacer.' : 'Create a new task if something is left to do.', 'task');
    }
    if (title === '') throw new ToolFailure('INVALID_ARGUMENT', es ? 'el nuevo título está vacío' : 'the new title is empty', es ? 'Dime el nuevo título.' : 'Tell me the new title.', 'title');
    const dueAt = due === undefined ? undefined : new Date(due);
    if (dueAt && dueAt.getTime() < c.now.getTime()) {
      throw new ToolFailure('FAILED_PRECONDITION', es ? `la fecha límite (${localTime(dueAt, c)}) ya pasó` : `the due date (${localTime(dueAt, c)}) is in the past`, es ? 'Elige una fecha a partir de ahora.' : 'Choose a date from now on.', 'dueAt');
    }
    const assignee = assigneeRef === undefined ? undefined : isMe(assigneeRef) ? await this.erp.user(c.db, c.tenantId, c.userId) ?? (await this.resolveUser(c, assigneeRef)) : await this.resolveUser(c, assigneeRef);
    await this.erp.updateTask(c.db, c.tenantId, task.id, { ...(title ? { title } : {}), ...(dueAt ? { dueAt } : {}), ...(assignee ? { assigneeId: assignee.id } : {}), ...(priority ? { priority } : {}) });
    const changed = [...(title ? ['title'] : []), ...(dueAt ? ['dueAt'] : []), ...(assignee ? ['assignee'] : []), ...(priority ? ['priority'] : [])];
    return {
      taskId: task.id,
      title: title ?? task.title,
      projectId: task.projectId,
      project: task.project,
      dueAt: iso(dueAt ?? task.dueAt),
      priority: priority ?? task.priority,
      ...(assignee ? { assigneeId: assignee.id, assignee: assignee.name } : {}),
      changed,
    };
  }

  /** Deletes a task (found as completeTask finds it); only whoever created it, or an admin, may. */
  async deleteTask(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const task = await this.findTask(c, str(args, 'task')!);
    if (task.createdBy !== c.userId && !(c.roles ?? []).includes('admin')) {
      const es = c.locale === 'es';
      throw new ToolFailure('FAILED_PRECONDITION', es ? `la tarea «${task.title}» la creó otra persona` : `the task "${task.title}" was created by someone else`, es ? 'Pide a quien la creó o a un administrador que la borre.' : 'Ask whoever created it, or an admin, to delete it.', 'task');
    }
    await this.erp.deleteTask(c.db, c.tenantId, task.id);
    return { taskId: task.id, title: task.title, projectId: task.projectId, project: task.project, deleted: true };
  }

  /** A task by id or title, or by a loose title among the open tasks; NOT_FOUND naming the closest titles. */
  private async findTask(c: ToolCallContext, ref: string): Promise<Task> {
    const task = (await this.erp.taskByRef(c.db, c.tenantId, ref)) ?? (await this.taskByName(c, ref));
    if (task) return task;
    const es = c.locale === 'es';
    const near = closest(await this.erp.openTaskTitles(c.db, c.tenantId), ref);
    throw new ToolFailure('NOT_FOUND', es ? `no encuentro la tarea «${ref}»` : `I can't find the task "${ref}"`, near.length ? (es ? `¿Te refieres a ${near.join(', ')}?` : `Did you mean ${near.join(', ')}?`) : '', 'task');
  }

  /**
   * The names a message may mention (issue 16), for the planner to match what the user wrote against: the tenant's
   * projects, users and open tasks, and the caller's events from a month ago on. Read-only and bounded.
   */
  async lookupNames(_args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const since = new Date(c.now.getTime() - 30 * 24 * 3600_000);
    const [projects, users, events, tasks] = await Promise.all([
      this.erp.projectNames(c.db, c.tenantId, NAMES_LIMIT),
      this.erp.userNames(c.db, c.tenantId, NAMES_LIMIT),
      this.erp.eventTitlesSince(c.db, c.tenantId, c.userId, since, TITLES_LIMIT),
      this.erp.recentOpenTaskTitles(c.db, c.tenantId, TITLES_LIMIT),
    ]);
    return { projects, users, events, tasks };
  }

  private async taskByName(c: ToolCallContext, ref: string) {
    const title = matchName(await this.erp.openTaskTitles(c.db, c.tenantId), ref.replace(/^(?:la tarea|the task|la|el|the)\s+/i, ''));
    return title === undefined ? undefined : this.erp.taskByRef(c.db, c.tenantId, title);
  }

  /** A creator said by name: the keys `created_by` may hold for that user (their id or email). */
  private async creatorKeys(c: ToolCallContext, ref: string): Promise<string[]> {
    const user = await this.resolveUser(c, ref);
    return [user.id, user.email];
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
    const es = c.locale === 'es';
    const suggestion = names.length > 0 ? (es ? `Proyectos existentes: ${names.join(', ')}.` : `Existing projects: ${names.join(', ')}.`) : es ? 'Crea antes el proyecto.' : 'Create the project first.';
    throw new ToolFailure('NOT_FOUND', es ? `no existe el proyecto «${ref}»` : `there is no project "${ref}"`, suggestion, 'project');
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
    const es = c.locale === 'es';
    const suggestion = names.length > 0 ? (es ? `Usuarios de la empresa: ${names.join(', ')}.` : `Users of the company: ${names.join(', ')}.`) : es ? 'Un administrador puede darlo de alta.' : 'An admin can add them.';
    throw new ToolFailure('NOT_FOUND', es ? `no encuentro a «${ref}» entre los usuarios de la empresa` : `I can't find "${ref}" among the company's users`, suggestion, 'assignee');
  }
}
