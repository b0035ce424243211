import type { CancelRequest, ExecutionsRepository } from './executions.repository.js';

/**
 * Requests the cancel of an execution and, when it ended here (nobody held it), of its running children, down the
 * tree. A held execution is signalled (`signalHeld`): its holder ends it and cancels its children as its waits stop.
 */
export async function cancelExecutionTree(executions: ExecutionsRepository, tenantId: string, id: string, signalHeld: (id: string) => void): Promise<CancelRequest> {
  const outcome = await executions.requestCancel(tenantId, id);
  if (outcome.kind === 'held') signalHeld(id);
  if (outcome.kind === 'cancelled') for (const child of outcome.children) await cancelExecutionTree(executions, tenantId, child, signalHeld);
  return outcome;
}
