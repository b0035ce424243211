import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../audit/audit-row.js';
import { summaryOf } from './summary.document.js';

const at = new Date('2026-03-10T18:30:00Z');
const row = (sequence: number, kind: AuditRow['kind'], o: Partial<AuditRow> = {}): AuditRow => ({ tenantId: 'acme', executionId: 'e1', sequence, at, kind, state: '', nodeId: '', agent: '', payload: {}, ...o });
const completed = (sequence: number, nodeId: string, output: Record<string, unknown>) => row(sequence, 'node_completed', { nodeId, payload: { nodeCompleted: { nodeId, output } } as AuditRow['payload'] });

describe('summaryOf', () => {
  it('summarises what the user asked, the flow, and the ids the tools returned (English)', () => {
    const doc = summaryOf([
      row(1, 'node_started', { nodeId: 'in', agent: 'intake' }),
      completed(2, 'in', { text: 'create a project called Website', language: 'en' }),
      row(3, 'node_started', { nodeId: 'plan', agent: 'planner' }),
      completed(4, 'plan', { flowType: 'CreateProject', ready: true }),
      row(5, 'node_started', { nodeId: 'run', agent: 'tool-executor' }),
      completed(6, 'run', { results: [{ tool: 'createProject', ok: true, result: { projectId: 'p-1', name: 'Website' } }] }),
      row(7, 'state_changed', { state: 'DONE' }),
    ]);
    expect(doc).toEqual({
      id: 'summary-e1',
      title: 'Project created: Website',
      version: '7',
      kind: 'summary',
      language: 'en',
      text: 'Project created: Website. Completed on 2026-03-10.\nThe user wrote: "create a project called Website".\nFlow: CreateProject.\nProject created «Website» (createProject: projectId=p-1).',
      metadata: { executionId: 'e1', flowType: 'CreateProject', date: '2026-03-10', tools: 'createProject', ids: 'projectId=p-1', source: 'event-logger' },
    });
  });

  it('states a failed tool as failed, never as done', () => {
    const doc = summaryOf([
      row(1, 'node_started', { nodeId: 'run', agent: 'tool-executor' }),
      completed(2, 'run', { results: [{ tool: 'createTask', ok: false, error: { code: 'NOT_FOUND' } }] }),
      row(3, 'state_changed', { state: 'DONE' }),
    ]);
    expect(doc.title).toBe('Flujo completado');
    expect(doc.text).toContain('createTask: falló (createTask).');
    expect(doc.text).not.toContain('Tarea creada');
  });

  it("leaves out the flow's own name lookup: the headline is what the user did", () => {
    const doc = summaryOf([
      row(1, 'node_started', { nodeId: 'names', agent: 'tool-executor' }),
      completed(2, 'names', { results: [{ tool: 'lookupNames', ok: true, result: { projects: ['Website'], users: ['Ana García'], events: [] } }] }),
      row(3, 'node_started', { nodeId: 'run', agent: 'tool-executor' }),
      completed(4, 'run', { results: [{ tool: 'createProject', ok: true, result: { projectId: 'p-1', name: 'Intranet' } }] }),
      row(5, 'state_changed', { state: 'DONE' }),
    ]);
    expect(doc.title).toBe('Proyecto creado: Intranet');
    expect(doc.text).not.toContain('lookupNames');
    expect(doc.metadata?.['tools']).toBe('createProject');
  });

  it('needs a DONE row', () => {
    expect(() => summaryOf([row(1, 'state_changed', { state: 'RECEIVED' })])).toThrow(/DONE/);
  });
});
