import { defineAgent } from '@spine/agent-kit';
import { AuditQuerySchema, AuditTrailSchema } from '@spine/contracts';

export const eventLoggerAgent = defineAgent({
  name: 'event-logger',
  version: '0.1.0',
  description: "Writes the audit trail of every execution from a durable JetStream consumer and upserts a summary of each successful flow into Cerebro; answers a tenant's audit queries.",
  capabilities: ['audit.log', 'audit.query', 'cerebro.summarize'],
  input: AuditQuerySchema,
  output: AuditTrailSchema,
});
