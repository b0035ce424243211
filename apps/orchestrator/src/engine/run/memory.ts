import type { FlowPlan } from '@spine/flow';
import type { ExecutionRow, Json } from '../../store/execution.model.js';
import type { ExecutionMemory } from '../../store/step-commits.js';

/** A flow that declares `memory` has its DONE summarised for the user of the conversation that started it. */
export function memoryOf(plan: FlowPlan, execution: ExecutionRow): ExecutionMemory | undefined {
  if (!plan.flow.memory) return undefined;
  const input = (typeof execution.input === 'object' && execution.input !== null && !Array.isArray(execution.input) ? execution.input : {}) as Record<string, Json>;
  const conversationId = execution.conversationId ?? (typeof input['conversationId'] === 'string' ? input['conversationId'] : '');
  return { conversationId, userId: typeof input['userId'] === 'string' ? input['userId'] : '' };
}
