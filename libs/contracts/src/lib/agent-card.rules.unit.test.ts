import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { AgentCardSchema, Transport, type AgentCard } from '../gen/spine/agent/v1/agent_pb.js';
import { agentCardProblems, instanceIdProblems } from './agent-card.rules.js';

const card = (over: MessageInitShape<typeof AgentCardSchema> = {}): AgentCard =>
  create(AgentCardSchema, { name: 'echo', version: '1.0.0', transport: Transport.HTTP, endpoint: 'http://echo:8080', capabilities: ['echo.say'], ...over });

describe('agentCardProblems', () => {
  it('finds nothing wrong with a valid HTTP, gRPC or NATS card', () => {
    expect(agentCardProblems(card())).toEqual({});
    expect(agentCardProblems(card({ transport: Transport.GRPC, endpoint: 'echo:50051' }))).toEqual({});
    expect(agentCardProblems(card({ transport: Transport.NATS, endpoint: '', inputType: 'spine.x.v1.In', outputType: 'spine.x.v1.Out' }))).toEqual({});
  });

  it('reports every problem at once, by field', () => {
    const problems = agentCardProblems(card({ name: 'Echo Agent', version: 'v1', capabilities: ['Bad Cap'], endpoint: 'file:///etc/passwd', outputSchemaJson: '[1]' }));
    expect(Object.keys(problems).sort()).toEqual(['card.capabilities', 'card.endpoint', 'card.name', 'card.output_schema_json', 'card.version']);
  });

  it('checks the endpoint by transport and refuses an unknown transport', () => {
    expect(agentCardProblems(card({ transport: Transport.GRPC, endpoint: 'http://echo:50051' }))).toHaveProperty(['card.endpoint']);
    expect(agentCardProblems(card({ transport: 99 as Transport }))).toHaveProperty(['card.transport']);
  });

  it('refuses duplicate capabilities, too many labels and an oversized description', () => {
    expect(agentCardProblems(card({ capabilities: ['a', 'a'] }))).toEqual({ 'card.capabilities': 'has duplicates' });
    const labels = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    expect(agentCardProblems(card({ labels }))).toHaveProperty(['card.labels']);
    expect(agentCardProblems(card({ description: 'é'.repeat(2_049) }))).toHaveProperty(['card.description']);
  });
});

describe('instanceIdProblems', () => {
  it('accepts letters, digits, - and _ up to 128 characters', () => {
    expect(instanceIdProblems('echo-1_a')).toEqual({});
    expect(instanceIdProblems('echo 1')).toHaveProperty(['instance_id']);
    expect(instanceIdProblems('x'.repeat(129))).toHaveProperty(['instance_id']);
  });
});
