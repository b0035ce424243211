import type { FlowGraph } from './flow.graph.js';

/**
 * One execution's progress through a flow's DAG, kept incrementally: settling a node costs its
 * children, and taking ready nodes costs log n each. `FlowGraph.readyNodes` rescans every node
 * per call, which is quadratic over a run of a long flow whose nodes run in-process.
 */
export class FlowProgress {
  private readonly unsettledParents = new Map<string, number>();
  private readonly fed = new Set<string>();
  private readonly settled = new Set<string>();
  private readonly ready: MinHeap;
  private readonly skippable: string[] = [];

  /** `completed` and `skipped`: what is already settled (a resumed execution). */
  constructor(
    private readonly graph: FlowGraph,
    completed: Iterable<string> = [],
    skipped: Iterable<string> = [],
  ) {
    const declared = new Map(graph.ids.map((id, i) => [id, i]));
    this.ready = new MinHeap((id) => declared.get(id) ?? 0);
    for (const id of graph.ids) {
      const parents = graph.parents(id).length;
      this.unsettledParents.set(id, parents);
      if (parents === 0) this.ready.push(id);
    }
    for (const id of completed) this.settle(id, 'completed');
    for (const id of skipped) this.settle(id, 'skipped');
  }

  /** Records that a node completed or was skipped; its children become ready (a parent completed) or skippable (none did). */
  settle(id: string, how: 'completed' | 'skipped'): void {
    if (this.settled.has(id)) return;
    this.settled.add(id);
    for (const child of this.graph.children(id)) {
      if (how === 'completed') this.fed.add(child);
      const left = (this.unsettledParents.get(child) ?? 1) - 1;
      this.unsettledParents.set(child, left);
      if (left > 0) continue;
      if (this.fed.has(child)) this.ready.push(child);
      else this.skippable.push(child);
    }
  }

  /** Nodes to skip because every parent was skipped, each returned once; skipping them may make more. */
  takeSkippable(): string[] {
    return this.skippable.splice(0).filter((id) => !this.settled.has(id));
  }

  /** Up to `limit` ready nodes in declaration order, neither settled nor running; each is returned once, for the caller to start. */
  takeReady(limit: number, running: ReadonlySet<string> = new Set()): string[] {
    const taken: string[] = [];
    while (taken.length < limit) {
      const id = this.ready.pop();
      if (id === undefined) break;
      if (!this.settled.has(id) && !running.has(id)) taken.push(id);
    }
    return taken;
  }
}

/** A binary heap of ids, least key first. */
class MinHeap {
  private readonly items: string[] = [];

  constructor(private readonly key: (id: string) => number) {}

  push(id: string): void {
    const { items, key } = this;
    items.push(id);
    for (let i = items.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (key(items[up] as string) <= key(items[i] as string)) break;
      [items[up], items[i]] = [items[i] as string, items[up] as string];
      i = up;
    }
  }

  pop(): string | undefined {
    const { items, key } = this;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < items.length && key(items[l] as string) < key(items[least] as string)) least = l;
      if (r < items.length && key(items[r] as string) < key(items[least] as string)) least = r;
      if (least === i) break;
      [items[least], items[i]] = [items[i] as string, items[least] as string];
      i = least;
    }
    return top;
  }
}
