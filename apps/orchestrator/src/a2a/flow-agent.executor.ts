import { TaskState } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import type { FlowVersionView } from '../flows/flows.service.js';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { Principal } from '../auth/principal.js';
import { EXECUTION_METADATA, taskOf } from './a2a.mapper.js';
import type { A2aService } from './a2a.service.js';

/** The SDK's user of a call: the principal the API key was admitted as. */
export interface SpineUser {
  isAuthenticated: boolean;
  userName: string;
  principal: Principal | undefined;
}

/**
 * Runs a flow for an A2A `SendMessage`: the message becomes the flow's input, the execution's id becomes the task's id,
 * and the settled execution becomes the task's artifact and final status.
 */
export class FlowAgentExecutor implements AgentExecutor {
  constructor(
    private readonly a2a: A2aService,
    private readonly tenantId: string,
    private readonly flow: FlowVersionView,
  ) {}

  async execute(ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    if (ctx.task) throw new Error('a Spine flow task takes no follow-up message; send a new message to start another run');
    const principal = (ctx.context.user as SpineUser | undefined)?.principal;
    if (principal?.tenantId !== this.tenantId) throw new SpineError(ErrorCode.UNAUTHENTICATED, 'no API key admitted this call');
    const contextId = ctx.contextId;
    const { id } = await this.a2a.start(principal, this.flow, contextId, ctx.userMessage);
    const userMessage = { ...ctx.userMessage, taskId: id, contextId };
    bus.publish(
      AgentEvent.task({
        id,
        contextId,
        status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: this.a2a.clock.now().toISOString() },
        artifacts: [],
        history: [userMessage],
        metadata: { [EXECUTION_METADATA]: { executionId: id, flowId: this.flow.id, flowVersion: this.flow.version } },
      }),
    );
    const task = taskOf(this.flow, await this.a2a.settle(this.tenantId, id), contextId);
    for (const artifact of task.artifacts) {
      bus.publish(AgentEvent.artifactUpdate({ taskId: id, contextId, artifact, append: false, lastChunk: true, metadata: undefined }));
    }
    bus.publish(AgentEvent.statusUpdate({ taskId: id, contextId, status: task.status, metadata: task.metadata }));
  }

  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    await this.a2a.cancel(this.tenantId, taskId);
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId: '', status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: this.a2a.clock.now().toISOString() }, metadata: undefined }));
  }
}
