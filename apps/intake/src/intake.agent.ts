import { defineAgent } from '@spine/agent-kit';
import { IntakeInputSchema, IntakeOutputSchema } from '@spine/contracts';

export const intakeAgent = defineAgent({
  name: 'intake',
  version: '0.1.0',
  description: 'Normalises the user message, detects its language (es/en) and attaches tenant, user, roles and session.',
  capabilities: ['text.normalize', 'language.detect', 'context.attach'],
  input: IntakeInputSchema,
  output: IntakeOutputSchema,
});
