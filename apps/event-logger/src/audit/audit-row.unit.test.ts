import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ErrorCode, ExecutionEventSchema, ExecutionState } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { auditRowOf, isDone } from './audit-row.js';

const at = timestampFromDate(new Date('2026-03-10T18:30:00Z'));
const done = create(ExecutionEventSchema, { executionId: 'e1', tenantId: 'acme', sequence: 9n, at, kind: { case: 'stateChanged', value: { current: ExecutionState.DONE } } });

describe('auditRowOf', () => {
  it('flattens an event that matches its subject', () => {
    const row = auditRowOf(done, 'spine.events.acme.e1');
    expect(row).toMatchObject({ tenantId: 'acme', executionId: 'e1', sequence: 9, kind: 'state_changed', state: 'DONE', nodeId: '' });
    expect(row.payload).toMatchObject({ executionId: 'e1', sequence: '9', stateChanged: { current: 'EXECUTION_STATE_DONE' } });
    expect(isDone(row)).toBe(true);
  });

  it('reads node events', () => {
    const started = create(ExecutionEventSchema, { executionId: 'e1', tenantId: 'acme', sequence: 2n, at, kind: { case: 'nodeStarted', value: { nodeId: 'tools', agent: 'tool-executor', attempt: 1 } } });
    expect(auditRowOf(started, 'spine.events.acme.e1')).toMatchObject({ kind: 'node_started', nodeId: 'tools', agent: 'tool-executor' });
  });

  it.each([
    ['another tenant in the subject', done, 'spine.events.globex.e1'],
    ['another execution in the subject', done, 'spine.events.acme.e2'],
    ['sequence 0', create(ExecutionEventSchema, { ...done, sequence: 0n }), 'spine.events.acme.e1'],
    ['no kind', create(ExecutionEventSchema, { executionId: 'e1', tenantId: 'acme', sequence: 1n }), 'spine.events.acme.e1'],
  ])('refuses %s', (_label, event, subject) => {
    expect(() => auditRowOf(event, subject)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });
});
