import type { Json } from '../store/execution.model.js';
import type { Principal } from './principal.js';

/**
 * A flow's input as the caller may set it. The ERP tools read who acts from `trigger.roles` and `trigger.userId`
 * (a conversation fills them from the key), so a key that is not an admin cannot name them in a raw input: its
 * roles are `client`'s, and a key that authenticates a person acts for that person. Admins act as they say.
 */
export function callerInput(p: Principal, input: Json): Json {
  if (p.role === 'admin' || !input || typeof input !== 'object' || Array.isArray(input)) return input;
  const stamped: Record<string, Json> = { ...(input as Record<string, Json>) };
  if ('roles' in stamped) stamped['roles'] = ['client'];
  if (p.userId && 'userId' in stamped) stamped['userId'] = p.userId;
  return stamped;
}
