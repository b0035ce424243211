import dagre from '@dagrejs/dagre';
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { Graph, NodeState } from '../model';

const WIDTH = 168;
const HEIGHT = 52;

/** Positions from dagre (layered, top to bottom): a flow is a DAG, which is what a layered layout draws best. */
export function layout(graph: Graph): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: WIDTH, height: HEIGHT });
  for (const e of graph.edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of graph.nodes) {
    const p = g.node(n.id);
    out.set(n.id, { x: (p?.x ?? 0) - WIDTH / 2, y: (p?.y ?? 0) - HEIGHT / 2 });
  }
  return out;
}

export interface DagProps {
  graph: Graph;
  states?: Record<string, NodeState>;
  selected?: string | undefined;
  onSelect?: (id: string) => void;
  label: string;
}

/** The flow's DAG; each node shows its state (colour and text, never colour alone) and can be selected. */
export function Dag({ graph, states, selected, onSelect, label }: DagProps) {
  const positions = useMemo(() => layout(graph), [graph]);
  const nodes: Node[] = graph.nodes.map((n) => {
    const state = states ? (states[n.id] ?? 'pending') : undefined;
    return {
      id: n.id,
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      data: {
        label: (
          <span className="dag-node-label">
            <strong>{n.id}</strong>
            {state ? <span className="dag-state">{state}</span> : n.agent ? <span className="dag-state">{n.agent}</span> : null}
          </span>
        ),
      },
      className: `dag-node ${state ? `state-${state}` : ''} ${selected === n.id ? 'selected' : ''}`,
      sourcePosition: Position.Bottom,
      targetPosition: Position.Top,
      style: { width: WIDTH, height: HEIGHT },
      ariaLabel: `${n.id}${state ? `: ${state}` : ''}`,
      domAttributes: { 'data-state': state ?? 'none' } as Node['domAttributes'],
      connectable: false,
      draggable: false,
    } as Node;
  });
  const edges: Edge[] = graph.edges.map((e) => ({ id: `${e.from}->${e.to}`, source: e.from, target: e.to, markerEnd: { type: MarkerType.ArrowClosed }, animated: states?.[e.to] === 'running' }));
  return (
    <div className="dag-wrap" role="group" aria-label={label} data-testid="dag">
      <div className="dag">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        nodesConnectable={false}
        nodesDraggable={false}
        proOptions={{ hideAttribution: true }}
        onNodeClick={(_, n) => onSelect?.(n.id)}
        minZoom={0.2}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
      </div>
      <ul className="node-chips" aria-label={`${label}: nodes`}>
        {graph.nodes.map((n) => (
          <li key={n.id} data-node={n.id} data-state={states?.[n.id] ?? 'pending'}>
            {onSelect ? (
              <button type="button" className={`chip state-${states?.[n.id] ?? 'pending'}`} aria-pressed={selected === n.id} onClick={() => onSelect(n.id)}>
                {n.id}: {states?.[n.id] ?? (states ? 'pending' : n.agent ?? '')}
              </button>
            ) : (
              <span className={`chip ${states ? `state-${states[n.id] ?? 'pending'}` : ''}`}>{`${n.id}: ${states?.[n.id] ?? n.agent ?? ''}`}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
