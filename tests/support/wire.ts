import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { Header, IntakeInputSchema, IntakeOutputSchema, InvokeRequestSchema, InvokeResponseSchema, subjects } from '@spine/contracts';
import { randomUUID } from 'node:crypto';

/** Speaks the agent wire protocol directly (nats.js + generated types), as any other NATS client would. */
export async function invokeIntake(
  nc: NatsConnection,
  input: MessageInitShape<typeof IntakeInputSchema>,
  options: { deadline?: number; tenantId?: string } = {},
): Promise<Msg> {
  const req = create(InvokeRequestSchema, {
    executionId: randomUUID(),
    nodeId: 'intake',
    attempt: 1,
    tenantId: options.tenantId ?? 'acme',
    input: anyPack(IntakeInputSchema, create(IntakeInputSchema, input)),
  });
  const h = headers();
  h.set(Header.Deadline, String(options.deadline ?? Date.now() + 5_000));
  h.set(Header.Correlation, randomUUID());
  return nc.request(subjects.agentInvoke('intake'), toBinary(InvokeRequestSchema, req), { timeout: 5_000, headers: h });
}

export function intakeOutputOf(reply: Msg) {
  const res = fromBinary(InvokeResponseSchema, reply.data);
  return { error: res.error, output: res.output ? anyUnpack(res.output, IntakeOutputSchema) : undefined };
}
