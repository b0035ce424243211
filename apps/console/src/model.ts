// What the console knows of flows and executions, as pure functions (unit-tested without a browser).
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export type NodeState = 'pending' | 'running' | 'retrying' | 'succeeded' | 'skipped' | 'failed' | 'waiting';
export const NODE_STATES: readonly NodeState[] = ['pending', 'running', 'retrying', 'succeeded', 'skipped', 'failed', 'waiting'];

export interface GraphNode {
  id: string;
  agent: string | null;
}
export interface Graph {
  nodes: GraphNode[];
  edges: { from: string; to: string }[];
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** The DAG of a flow document, Spine form (`nodes[]` with `dependsOn` or top-level `edges[]`) or seed form (`agents[]`). */
export function graphOf(definition: unknown): Graph {
  const doc = record(definition);
  const list = Array.isArray(doc['nodes']) ? doc['nodes'] : Array.isArray(doc['agents']) ? doc['agents'] : [];
  const nodes: GraphNode[] = [];
  const edges: Graph['edges'] = [];
  for (const item of list) {
    const n = record(item);
    const id = typeof n['id'] === 'string' ? n['id'] : typeof n['name'] === 'string' ? n['name'] : undefined;
    if (!id || nodes.some((x) => x.id === id)) continue;
    nodes.push({ id, agent: typeof n['agent'] === 'string' ? n['agent'] : null });
    for (const parent of strings(n['dependsOn'] ?? n['depends_on'])) edges.push({ from: parent, to: id });
  }
  for (const e of Array.isArray(doc['edges']) ? doc['edges'] : []) {
    const { from, to } = record(e);
    if (typeof from === 'string' && typeof to === 'string') edges.push({ from, to });
  }
  const known = new Set(nodes.map((n) => n.id));
  return { nodes, edges: edges.filter((e) => known.has(e.from) && known.has(e.to)) };
}

/** `nodes[1].inputs.text`, `nodes.1.agent` or `/nodes/1/agent` → ['nodes', 1, 'inputs', 'text']. */
export function splitPath(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((p) => p !== '' && p !== 'flow')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export interface TextRange {
  from: number;
  to: number;
  line: number;
}

/**
 * Where in the editor's text (YAML or JSON: JSON is YAML) an issue's path is: the key of the deepest part of the
 * path that exists (so a missing field marks its parent's key), or the document's start.
 */
export function rangeOfPath(text: string, path: string): TextRange {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false });
  let node: unknown = doc.contents;
  let best: [number, number] | undefined = rangeOf(doc.contents);
  for (const part of splitPath(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      best = rangeOf(pair.key as YamlNode) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (!item) break;
      best = rangeOf(item as YamlNode) ?? best;
      node = item;
    } else break;
  }
  const [from, to] = best ?? [0, Math.min(text.length, 1)];
  return { from, to: Math.max(to, from), line: lines.linePos(from).line };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return undefined;
  // A whole map or sequence would mark many lines: mark its first line only.
  return [range[0], isMap(node) || isSeq(node) ? range[0] : range[1]];
}

export interface StreamEvent {
  event: string;
  data: unknown;
}

export interface NodeProgress {
  state: NodeState;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  error?: unknown;
}

export interface LiveExecution {
  state: string;
  nodes: Record<string, NodeProgress>;
  reply: string;
  ended: boolean;
}

export const emptyLive = (): LiveExecution => ({ state: 'RECEIVED', nodes: {}, reply: '', ended: false });

/** One SSE message applied to what is known of the execution (pure: returns a new value). */
export function applyStreamEvent(live: LiveExecution, m: StreamEvent): LiveExecution {
  const d = record(m.data);
  const payload = record(d['payload']);
  const nodeId = typeof payload['nodeId'] === 'string' ? payload['nodeId'] : undefined;
  const at = typeof d['at'] === 'string' ? d['at'] : undefined;
  const node = (patch: Partial<NodeProgress>): LiveExecution => {
    if (!nodeId) return live;
    const prev = live.nodes[nodeId] ?? { state: 'pending', attempt: 0 };
    return { ...live, nodes: { ...live.nodes, [nodeId]: { ...prev, ...patch } } };
  };
  switch (m.event) {
    case 'state_changed': {
      const state = String(payload['current'] ?? live.state);
      if (state !== 'WAITING_INPUT') return { ...live, state };
      const nodes = Object.fromEntries(Object.entries(live.nodes).map(([id, n]) => [id, n.state === 'running' ? { ...n, state: 'waiting' as const } : n]));
      return { ...live, state, nodes };
    }
    case 'node_started':
      return node({ state: 'running', attempt: Number(payload['attempt'] ?? 1), ...(at ? { startedAt: live.nodes[nodeId ?? '']?.startedAt ?? at } : {}) });
    case 'node_completed':
      return node({ state: 'succeeded', ...(at ? { finishedAt: at } : {}) });
    case 'node_failed':
      return node({ state: payload['willRetry'] ? 'retrying' : 'failed', error: payload['error'], ...(payload['willRetry'] || !at ? {} : { finishedAt: at }) });
    case 'node_skipped':
      return node({ state: 'skipped', ...(at ? { finishedAt: at } : {}) });
    case 'node_waiting':
    case 'human_task_opened':
      return node({ state: 'waiting' });
    case 'human_task_decided':
      return node({ state: 'running' });
    case 'chunk':
      return d['final'] ? live : { ...live, reply: live.reply + String(d['text'] ?? '') };
    case 'end':
      return { ...live, ended: true };
    default:
      return live;
  }
}

/** A node run as GET /v1/executions/{id} shows it, as the live state (the page's starting point before the stream). */
export function progressOfRun(run: { state: string; attempts: number; startedAt: string | null; finishedAt: string | null; error: unknown }): NodeProgress {
  const state: NodeState = NODE_STATES.includes(run.state as NodeState) ? (run.state as NodeState) : 'pending';
  return { state, attempt: run.attempts, ...(run.startedAt ? { startedAt: run.startedAt } : {}), ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}), ...(run.error ? { error: run.error } : {}) };
}
