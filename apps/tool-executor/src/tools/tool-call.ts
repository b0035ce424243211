import type { JsonObject } from '@bufbuild/protobuf';
import type { SqlRunner } from '@spine/persistence';

/** What a tool gets: the tenant and user it acts for, the transaction it runs in, and its validated arguments. */
export interface ToolCallContext {
  tenantId: string;
  userId: string;
  db: SqlRunner;
  now: Date;
  /** The user's IANA zone and language: working hours are local, refusals are worded for them. */
  timezone: string;
  locale: 'es' | 'en';
  /** The caller's roles (a rule may let an admin do what others may not: delete someone else's task). */
  roles?: readonly string[];
}

export type ToolArgs = Record<string, unknown>;
export type ToolOutput = JsonObject;

export const str = (args: ToolArgs, key: string): string | undefined => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
export const num = (args: ToolArgs, key: string): number | undefined => (typeof args[key] === 'number' ? (args[key] as number) : undefined);
export const iso = (d: Date): string => d.toISOString();
