import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { FlowPlan } from '@spine/flow';
import { redactJson } from '@spine/pii';
import type { ExecutionRow } from '../../store/execution.model.js';

/** The execution's input as a node sees it: without personal data below a gate that redacted (see quality-gate.ts). */
export function triggerOf(execution: ExecutionRow, redacted: boolean): JsonValue {
  return redacted ? redactJson(execution.input as JsonValue) : (execution.input as JsonValue);
}

/**
 * What a node's templates and conditions read: the outputs so far, `trigger` (the execution's input, redacted when
 * `redacted`) and `context` (its `context` field: session, customer, …).
 */
export function evaluationState(execution: ExecutionRow, outputs: Record<string, JsonValue>, skipped: ReadonlySet<string>, redacted = false) {
  const trigger = triggerOf(execution, redacted);
  const context = trigger && typeof trigger === 'object' && !Array.isArray(trigger) ? trigger['context'] : undefined;
  return { outputs, skipped, trigger, context: context ?? {} };
}

/** What an agent learns besides its input: where it runs, the trigger, and the node's own settings (systemPrompt, topK, …). */
export function agentContext(execution: ExecutionRow, plan: FlowPlan, nodeId: string, redacted = false): JsonObject {
  return {
    executionId: execution.id,
    flowId: execution.flowId,
    flowVersion: execution.flowVersion,
    ...(execution.conversationId ? { conversationId: execution.conversationId } : {}),
    trigger: triggerOf(execution, redacted),
    config: plan.node(nodeId).config,
    ...(plan.node(nodeId).outputSchema ? { outputSchema: plan.node(nodeId).outputSchema } : {}),
  };
}
