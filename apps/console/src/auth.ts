import { createContext, useContext } from 'react';
import type { Principal, Role } from './api';

export const PrincipalContext = createContext<Principal | null>(null);
export const usePrincipal = (): Principal => {
  const p = useContext(PrincipalContext);
  if (!p) throw new Error('not signed in');
  return p;
};

/** What each role may do, as the API's @Roles say: pages and buttons a role may not use are not offered. */
const ALLOWED: Record<string, readonly Role[]> = {
  deployFlow: ['admin'],
  manageKeys: ['admin'],
  registerAgent: ['agent-publisher', 'admin'],
};
export type Action = 'deployFlow' | 'manageKeys' | 'registerAgent';
export const can = (role: Role, action: Action): boolean => ALLOWED[action]!.includes(role);
