import type { ListTasksRequest, ListTasksResponse, Task } from '@a2a-js/sdk';
import type { TaskStore } from '@a2a-js/sdk/server';
import { TaskState } from '@a2a-js/sdk';
import type { FlowVersionView } from '../flows/flows.service.js';
import { encodeCursor, queryOf, trimTask } from './task-list.js';
import type { A2aService } from './a2a.service.js';

const MAX_CACHED = 5_000;
const TERMINAL = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);

/** Tasks this replica is working on or answered lately, by `tenant/taskId`; Postgres has the rest. */
export class RecentTasks {
  private readonly tasks = new Map<string, Task>();
  /** Tasks an executor on this replica is following now: their cached copy is the live one. */
  private readonly active = new Set<string>();

  running(tenantId: string, id: string, on: boolean): void {
    if (on) this.active.add(`${tenantId}/${id}`);
    else this.active.delete(`${tenantId}/${id}`);
  }

  isRunning(tenantId: string, id: string): boolean {
    return this.active.has(`${tenantId}/${id}`);
  }

  get(tenantId: string, id: string): Task | undefined {
    const task = this.tasks.get(`${tenantId}/${id}`);
    return task ? structuredClone(task) : undefined;
  }

  put(tenantId: string, task: Task): void {
    const key = `${tenantId}/${task.id}`;
    this.tasks.delete(key);
    this.tasks.set(key, structuredClone(task));
    if (this.tasks.size > MAX_CACHED) this.tasks.delete(this.tasks.keys().next().value as string);
  }
}

/**
 * The SDK's task store for one flow of one tenant. A task's id is its execution's id, so a task this replica never saw
 * (another replica's, or from before a restart) is rebuilt from the execution in Postgres. Saving a task the caller
 * cancelled cancels its execution.
 */
export class FlowTaskStore implements TaskStore {
  constructor(
    private readonly a2a: A2aService,
    private readonly recent: RecentTasks,
    private readonly tenantId: string,
    private readonly flow: FlowVersionView,
  ) {}

  async save(task: Task): Promise<void> {
    const before = this.recent.get(this.tenantId, task.id);
    this.recent.put(this.tenantId, task);
    const cancelled = task.status?.state === TaskState.TASK_STATE_CANCELED && before?.status?.state !== TaskState.TASK_STATE_CANCELED;
    if (cancelled) await this.a2a.cancel(this.tenantId, task.id);
  }

  /**
   * The cached task while this replica follows it or once it ended; otherwise Postgres decides its state (a person may
   * have decided its inbox task elsewhere, another replica may have run its follow-up), keeping the cached history.
   */
  async load(taskId: string): Promise<Task | undefined> {
    const cached = this.recent.get(this.tenantId, taskId);
    if (cached && (this.recent.isRunning(this.tenantId, taskId) || TERMINAL.has(cached.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED))) return cached;
    const task = await this.a2a.view(this.tenantId, this.flow, taskId);
    if (!task || !cached) return task;
    return { ...task, history: cached.history, artifacts: task.artifacts.length > 0 ? task.artifacts : cached.artifacts };
  }

  /** From Postgres (any replica, any age): newest status first, filtered and paged as A2A says. */
  async list(params: ListTasksRequest): Promise<ListTasksResponse> {
    const { historyLength, ...query } = queryOf(params);
    const { refs, total } = await this.a2a.tasks.page(this.tenantId, this.flow.id, { ...query, limit: query.limit + 1 });
    const page = refs.slice(0, query.limit);
    const tasks: Task[] = [];
    for (const ref of page) {
      const execution = await this.a2a.execution(this.tenantId, this.flow.id, ref.executionId);
      if (execution) tasks.push(trimTask(await this.a2a.taskFor(this.tenantId, this.flow, execution, ref.id, ref.contextId), historyLength, params.includeArtifacts ?? false));
    }
    const last = page.at(-1);
    return { tasks, nextPageToken: refs.length > query.limit && last ? encodeCursor(last) : '', pageSize: tasks.length, totalSize: total };
  }
}
