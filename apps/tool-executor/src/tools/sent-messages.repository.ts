import { Injectable } from '@nestjs/common';
import { queryRows, type SqlRunner } from '@spine/persistence';

export interface SentMessage { tenantId: string; templateId: string; language: string; recipient: string; body: string; sentBy: string; sentAt: Date }

/** erp.sent_messages: what send_template sent, on the caller's transaction (the tool call's ledger entry commits with it). */
@Injectable()
export class SentMessagesRepository {
  async insert(db: SqlRunner, m: SentMessage): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      db,
      `INSERT INTO erp.sent_messages (tenant_id, template_id, language, recipient, body, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [m.tenantId, m.templateId, m.language, m.recipient, m.body, m.sentBy, m.sentAt],
    );
    return rows[0]!.id;
  }
}
