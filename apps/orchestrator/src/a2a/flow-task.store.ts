import type { ListTasksRequest, ListTasksResponse, Task } from '@a2a-js/sdk';
import type { TaskStore } from '@a2a-js/sdk/server';
import { TaskState } from '@a2a-js/sdk';
import type { FlowVersionView } from '../flows/flows.service.js';
import { taskOf } from './a2a.mapper.js';
import { encodeCursor, queryOf, trimTask } from './task-list.js';
import type { A2aService } from './a2a.service.js';

const MAX_CACHED = 5_000;

/** Tasks this replica is working on or answered lately, by `tenant/taskId`; Postgres has the rest. */
export class RecentTasks {
  private readonly tasks = new Map<string, Task>();

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

  async load(taskId: string): Promise<Task | undefined> {
    const cached = this.recent.get(this.tenantId, taskId);
    if (cached) return cached;
    const execution = await this.a2a.execution(this.tenantId, this.flow.id, taskId);
    return execution ? taskOf(this.flow, execution, (await this.a2a.tasks.contextOf(this.tenantId, taskId)) ?? execution.id) : undefined;
  }

  /** From Postgres (any replica, any age): newest status first, filtered and paged as A2A says. */
  async list(params: ListTasksRequest): Promise<ListTasksResponse> {
    const { historyLength, ...query } = queryOf(params);
    const { refs, total } = await this.a2a.tasks.page(this.tenantId, this.flow.id, { ...query, limit: query.limit + 1 });
    const page = refs.slice(0, query.limit);
    const tasks: Task[] = [];
    for (const ref of page) {
      const execution = await this.a2a.execution(this.tenantId, this.flow.id, ref.id);
      if (execution) tasks.push(trimTask(taskOf(this.flow, execution, ref.contextId), historyLength, params.includeArtifacts ?? false));
    }
    const last = page.at(-1);
    return { tasks, nextPageToken: refs.length > query.limit && last ? encodeCursor(last) : '', pageSize: tasks.length, totalSize: total };
  }
}
