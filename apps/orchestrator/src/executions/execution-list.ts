import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SpineError } from '@spine/contracts';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { STATES, type ExecutionStateName } from '../store/execution.model.js';

/** One execution in a list: what a table of executions shows, not its input, nodes or events. */
export interface ExecutionSummary {
  id: string;
  flowId: string;
  flowVersion: number;
  conversationId: string | null;
  state: ExecutionStateName;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface ExecutionPage {
  executions: ExecutionSummary[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const listQuery = z
  .object({
    flowId: z.string().min(1).max(200).optional(),
    state: z.enum(STATES).optional(),
    /** Created at or after / before (ISO 8601). */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Text: an id's beginning, or anywhere in the input or the error. */
    q: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuery>;

/** The position after which the next page starts: the last row's created_at (to the microsecond, as text) and id. */
const cursorShape = z.tuple([z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), z.uuid()]);

function decodeCursor(cursor: string): [string, string] {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw SpineError.invalid('cursor is not one this API gave', { field: 'cursor' });
  }
}
const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The tenant's executions, newest first, paged by keyset on (created_at, id): a page starts strictly after the
 * previous page's last row, so executions created meanwhile (newer, or committed late with an older created_at)
 * never repeat a row or push one off a page boundary. Served by executions_tenant_idx (tenant_id, created_at DESC).
 */
@Injectable()
export class ExecutionList {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(tenantId: string, q: ListQuery): Promise<ExecutionPage> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.flowId) add((p) => `flow_id = ${p}`, q.flowId);
    if (q.state) add((p) => `state = ${p}`, q.state);
    if (q.from) add((p) => `created_at >= ${p}::timestamptz`, q.from);
    if (q.to) add((p) => `created_at < ${p}::timestamptz`, q.to);
    if (q.q) add((p) => `(id::text LIKE lower(${p}) || '%' OR input::text ILIKE '%' || ${p} || '%' OR coalesce(error::text, '') ILIKE '%' || ${p} || '%')`, likeEscaped(q.q));
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      params.push(at, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const rows = await queryRows<ExecutionSummary & { position: string }>(
      this.db,
      `SELECT id, flow_id AS "flowId", flow_version AS "flowVersion", conversation_id AS "conversationId", state, created_at AS "createdAt", finished_at AS "finishedAt",
         to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
       FROM orchestrator.executions WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { executions: page.map(({ position: _p, ...row }) => row), nextCursor: more && last ? encodeCursor(last.position, last.id) : null };
  }
}
