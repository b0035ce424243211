import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows, type SqlRunner } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { Json } from '../store/execution.model.js';

export interface ConversationRow {
  id: string;
  flowId: string;
  userId: string | null;
  metadata: Json;
  createdBy: string;
  createdAt: Date;
}

export interface MessageRow {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  executionId: string | null;
  createdAt: Date;
}

export interface TimelineEvent {
  executionId: string;
  seq: number;
  type: string;
  payload: Json;
  at: Date;
}

const CONVERSATION = `id, flow_id AS "flowId", user_id AS "userId", metadata, created_by AS "createdBy", created_at AS "createdAt"`;
const MESSAGE = `id, role, text, execution_id AS "executionId", created_at AS "createdAt"`;

/** Conversations and their messages; every read is tenant-scoped. */
@Injectable()
export class ConversationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(tenantId: string, c: { flowId: string; userId: string | null; metadata: Json; createdBy: string }): Promise<ConversationRow> {
    const rows = await queryRows<ConversationRow>(
      this.db,
      `INSERT INTO orchestrator.conversations (tenant_id, flow_id, user_id, metadata, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${CONVERSATION}`,
      [tenantId, c.flowId, c.userId, JSON.stringify(c.metadata), c.createdBy],
    );
    return rows[0]!;
  }

  /** The conversation of this flow named `key` (see the conversation-key migration), created on first use. */
  async forKey(tenantId: string, c: { flowId: string; key: string; userId: string | null; createdBy: string }): Promise<ConversationRow> {
    const inserted = await queryRows<ConversationRow>(
      this.db,
      `INSERT INTO orchestrator.conversations (tenant_id, flow_id, user_id, metadata, created_by, external_key) VALUES ($1, $2, $3, '{}', $4, $5)
       ON CONFLICT (tenant_id, flow_id, external_key) WHERE external_key IS NOT NULL DO NOTHING RETURNING ${CONVERSATION}`,
      [tenantId, c.flowId, c.userId, c.createdBy, c.key],
    );
    if (inserted[0]) return inserted[0];
    const rows = await queryRows<ConversationRow>(
      this.db,
      `SELECT ${CONVERSATION} FROM orchestrator.conversations WHERE tenant_id = $1 AND flow_id = $2 AND external_key = $3`,
      [tenantId, c.flowId, c.key],
    );
    return rows[0]!;
  }

  async get(tenantId: string, id: string): Promise<ConversationRow | undefined> {
    const rows = await queryRows<ConversationRow>(this.db, `SELECT ${CONVERSATION} FROM orchestrator.conversations WHERE tenant_id = $1 AND id = $2::uuid`, [tenantId, id]);
    return rows[0];
  }

  async messages(tenantId: string, conversationId: string, limit = 200): Promise<MessageRow[]> {
    const rows = await queryRows<MessageRow>(
      this.db,
      `SELECT * FROM (SELECT ${MESSAGE} FROM orchestrator.messages WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY created_at DESC, id LIMIT $3) m ORDER BY "createdAt", id`,
      [tenantId, conversationId, limit],
    );
    return rows;
  }

  async addMessage(db: SqlRunner, tenantId: string, conversationId: string, m: { id: string; role: 'user' | 'assistant'; text: string; executionId: string | null }): Promise<MessageRow> {
    const rows = await queryRows<MessageRow>(
      db,
      `INSERT INTO orchestrator.messages (id, tenant_id, conversation_id, role, text, execution_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${MESSAGE}`,
      [m.id, tenantId, conversationId, m.role, m.text, m.executionId],
    );
    return rows[0]!;
  }

  /** Every event of every execution of the conversation, oldest first. */
  async timeline(tenantId: string, conversationId: string): Promise<TimelineEvent[]> {
    const rows = await queryRows<TimelineEvent & { seq: string }>(
      this.db,
      `SELECT e.execution_id AS "executionId", e.seq::text AS seq, e.type, e.payload, e.at
       FROM orchestrator.execution_events e JOIN orchestrator.executions x ON x.id = e.execution_id
       WHERE x.tenant_id = $1 AND x.conversation_id = $2 ORDER BY x.created_at, e.seq LIMIT 5000`,
      [tenantId, conversationId],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }
}
