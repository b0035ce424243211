import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids bound once at a transport edge; every log line inside the call carries them. */
export interface CallScope {
  correlationId?: string;
  traceId?: string;
  /** The caller's W3C traceparent, so outgoing calls continue the trace. */
  traceparent?: string;
  tenantId?: string;
  executionId?: string;
  nodeId?: string;
}

const storage = new AsyncLocalStorage<CallScope>();

export function runInScope<T>(scope: CallScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): CallScope | undefined {
  return storage.getStore();
}
