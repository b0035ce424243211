import { describe, expect, it } from 'vitest';
import { applyStreamEvent, emptyLive, graphOf, rangeOfPath, splitPath, type LiveExecution } from './model';

const FLOW = `id: demo
nodes:
  - id: intake
    agent: intake
  - id: router
    agent: no-such-agent
    dependsOn: [intake]
    inputs:
      text: "{{ intake.text }}"
`;

describe('graphOf', () => {
  it('reads nodes with dependsOn and top-level edges, dropping edges to unknown nodes', () => {
    expect(graphOf({ nodes: [{ id: 'a', agent: 'x' }, { id: 'b', dependsOn: ['a', 'ghost'] }, { id: 'c' }], edges: [{ from: 'b', to: 'c' }] })).toEqual({
      nodes: [{ id: 'a', agent: 'x' }, { id: 'b', agent: null }, { id: 'c', agent: null }],
      edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }],
    });
  });

  it('gives an empty graph for what is not a flow', () => {
    expect(graphOf('nope')).toEqual({ nodes: [], edges: [] });
  });
});

describe('rangeOfPath', () => {
  it('splits the API path forms', () => {
    expect(splitPath('nodes[1].inputs.text')).toEqual(['nodes', 1, 'inputs', 'text']);
    expect(splitPath('/nodes/1/agent')).toEqual(['nodes', 1, 'agent']);
  });

  it('marks the key of the field an issue names', () => {
    const r = rangeOfPath(FLOW, 'nodes[1].agent');
    expect(FLOW.slice(r.from, r.to)).toBe('agent');
    expect(r.line).toBe(6);
  });

  it('marks the deepest part that exists when the field is missing', () => {
    const r = rangeOfPath(FLOW, 'nodes[1].inputs.language');
    expect(FLOW.slice(r.from, r.to)).toBe('inputs');
  });

  it('finds paths in JSON too', () => {
    const json = JSON.stringify({ id: 'x', nodes: [{ id: 'a', agent: 'b' }] }, null, 2);
    const r = rangeOfPath(json, 'nodes[0].agent');
    expect(json.slice(r.from, r.to)).toBe('"agent"');
  });
});

describe('applyStreamEvent', () => {
  const apply = (events: [string, unknown][]): LiveExecution => events.reduce((l, [event, data]) => applyStreamEvent(l, { event, data }), emptyLive());
  const ev = (type: string, payload: Record<string, unknown>) => [type, { seq: 1, type, payload, at: '2026-01-01T00:00:00.000Z' }] as [string, unknown];

  it('moves a node through running, retrying and succeeded, and the reply through its chunks', () => {
    const live = apply([
      ev('state_changed', { previous: null, current: 'RECEIVED' }),
      ev('node_started', { nodeId: 'a', attempt: 1 }),
      ev('node_failed', { nodeId: 'a', attempt: 1, willRetry: true, error: { code: 'UNAVAILABLE' } }),
      ev('node_started', { nodeId: 'a', attempt: 2 }),
      ['chunk', { seq: 1, kind: 'token', text: 'Ho', final: false }],
      ['chunk', { seq: 2, kind: 'token', text: 'la', final: false }],
      ['chunk', { seq: 3, kind: 'final', text: 'Hola', final: true }],
      ev('node_completed', { nodeId: 'a' }),
      ev('node_skipped', { nodeId: 'b' }),
      ev('state_changed', { previous: 'RECEIVED', current: 'DONE' }),
      ['end', {}],
    ]);
    expect(live).toMatchObject({ state: 'DONE', reply: 'Hola', ended: true, nodes: { a: { state: 'succeeded', attempt: 2 }, b: { state: 'skipped' } } });
  });

  it('shows a failure without retry as failed, and a node waiting for a person as waiting', () => {
    const retrying = apply([ev('node_started', { nodeId: 'a', attempt: 1 }), ev('node_failed', { nodeId: 'a', willRetry: true })]);
    expect(retrying.nodes['a']?.state).toBe('retrying');
    const failed = apply([ev('node_started', { nodeId: 'a', attempt: 3 }), ev('node_failed', { nodeId: 'a', willRetry: false })]);
    expect(failed.nodes['a']?.state).toBe('failed');
    expect(apply([ev('human_task_opened', { nodeId: 'h' })]).nodes['h']?.state).toBe('waiting');
  });
});
