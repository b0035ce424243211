import { loadFlow } from '@spine/flow';
import { describe, expect, it } from 'vitest';
import { flowDocument, flowDocumentId } from './flow-documents.js';

describe('flowDocument', () => {
  it('describes a deployed flow as a document of kind flow, one id per flow so a redeploy replaces it', () => {
    const flow = loadFlow({ id: 'refunds', name: 'Refunds', description: 'Checks a refund request and asks a person above 100 euros.', memory: true, nodes: [{ id: 'intake', agent: 'intake' }, { id: 'plan', agent: 'planner', dependsOn: ['intake'], tools: ['createTask'] }] });
    const doc = flowDocument(flow, 3);
    expect(doc).toMatchObject({ id: 'flow:refunds', title: 'Flow Refunds (refunds)', version: '3', kind: 'flow', metadata: { flowId: 'refunds', flowVersion: '3' } });
    expect(doc.text).toContain('Checks a refund request and asks a person above 100 euros.');
    expect(doc.text).toContain('2. plan: agent planner, after intake, tools createTask.');
    expect(doc.text).toContain('remembers what each execution did');
    expect(flowDocumentId('refunds')).toBe(doc.id);
  });
});
