import { create } from '@bufbuild/protobuf';
import { AgentCardSchema, spineRegistry, Transport } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { describeFieldType } from './field-type.js';
import { catalogAgentOfCard } from './flow.catalog.js';

describe('catalogAgentOfCard', () => {
  it('types a built-in agent by its protobuf messages', () => {
    const card = create(AgentCardSchema, { name: 'intake', transport: Transport.NATS, inputType: 'spine.intake.v1.IntakeInput', outputType: 'spine.intake.v1.IntakeOutput' });
    const agent = catalogAgentOfCard(card, spineRegistry);
    expect(describeFieldType(agent.inputType ?? { kind: 'dyn' })).toBe('{ text: string, userId: string, roles: list<string>, sessionId: string, localeHint: string }');
  });

  it('types a third-party agent by its JSON Schemas, and an unreadable one as dyn', () => {
    const card = create(AgentCardSchema, {
      name: 'crm',
      transport: Transport.HTTP,
      inputSchemaJson: JSON.stringify({ type: 'object', properties: { email: { type: 'string' } } }),
      outputSchemaJson: '{not json',
    });
    expect(catalogAgentOfCard(card, spineRegistry)).toEqual({
      inputType: { kind: 'object', fields: { email: { kind: 'scalar', scalar: 'string' } } },
      outputType: { kind: 'dyn' },
    });
  });
});
