import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seed 000 §7.2: `send_template` sends a templated message. Each one sent is a row here (the outbox a mail or chat
 * connector delivers from), written in the transaction of the tool call's ledger entry, so a call sends it once.
 */
export class SentMessages1765100000000 implements MigrationInterface {
  name = 'SentMessages1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE erp.sent_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id text NOT NULL,
        template_id text NOT NULL,
        language text NOT NULL,
        recipient text NOT NULL,
        body text NOT NULL,
        sent_by text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sent_messages_tenant_idx ON erp.sent_messages (tenant_id, sent_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE erp.sent_messages`);
  }
}
