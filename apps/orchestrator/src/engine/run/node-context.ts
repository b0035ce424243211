import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { FlowPlan } from '@spine/flow';
import type { ExecutionRow } from '../../store/execution.model.js';

/** What a node's templates and conditions read: the outputs so far, `trigger` (the execution's input) and `context` (its `context` field: session, customer, …). */
export function evaluationState(execution: ExecutionRow, outputs: Record<string, JsonValue>, skipped: ReadonlySet<string>) {
  const trigger = execution.input as JsonValue;
  const context = trigger && typeof trigger === 'object' && !Array.isArray(trigger) ? trigger['context'] : undefined;
  return { outputs, skipped, trigger, context: context ?? {} };
}

/** What an agent learns besides its input: where it runs, the trigger, and the node's own settings (systemPrompt, topK, …). */
export function agentContext(execution: ExecutionRow, plan: FlowPlan, nodeId: string): JsonObject {
  return {
    executionId: execution.id,
    flowId: execution.flowId,
    flowVersion: execution.flowVersion,
    ...(execution.conversationId ? { conversationId: execution.conversationId } : {}),
    trigger: execution.input as JsonValue,
    config: plan.node(nodeId).config,
    ...(plan.node(nodeId).outputSchema ? { outputSchema: plan.node(nodeId).outputSchema } : {}),
  };
}
