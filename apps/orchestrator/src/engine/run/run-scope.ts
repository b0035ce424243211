import { ErrorCode, errorCodeName, SpineError } from '@spine/contracts';
import type { FlowNode, FlowScopes } from '@spine/flow';
import type { Json } from '../../store/execution.model.js';

/** An error as node runs, events and the execution store it. */
export function errorJson(error: SpineError, nodeId?: string): Json {
  return { code: errorCodeName(error.code), message: error.message, retryable: error.retryable, details: error.details, ...(nodeId ? { nodeId } : {}) };
}

/** Checked before every dispatch (deploy checked them too, but a scope is enforced on every hop). */
export function checkScope(scopes: FlowScopes, node: FlowNode): void {
  const refuse = (what: string) => {
    throw new SpineError(ErrorCode.PERMISSION_DENIED, `node '${node.id}': ${what} is outside the flow's scopes`, { node: node.id }, false);
  };
  if (node.agent && scopes.allowedAgents && !scopes.allowedAgents.includes(node.agent)) refuse(`agent '${node.agent}'`);
  if (node.model && scopes.allowedModels && !scopes.allowedModels.includes(node.model)) refuse(`model '${node.model}'`);
  for (const tool of node.tools) if (scopes.allowedTools && !scopes.allowedTools.includes(tool)) refuse(`tool '${tool}'`);
  if (node.kind === 'flow' && !scopes.canCreateSubAgents) refuse(`sub-flow '${node.subflow?.id ?? ''}'`);
}

/** The flow's scopes as sent with every request, so agents (the tool-executor) check them again. */
export function scopeMessage(s: FlowScopes) {
  return {
    allowedModels: s.allowedModels ?? [],
    allowedTools: s.allowedTools ?? [],
    allowedAgents: s.allowedAgents ?? [],
    maxTotalTokens: BigInt(s.maxTotalTokens ?? 0),
    maxExecutionTimeMs: BigInt(s.maxExecutionTimeMs ?? 0),
    canCreateSubAgents: s.canCreateSubAgents,
  };
}
