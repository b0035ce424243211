/** The least a graph needs from a node. */
export interface GraphNode {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/**
 * The DAG of a flow: order, ancestry, cycles, and what the executor may run next.
 * Parents that name no node are ignored here (validation reports them).
 */
export class FlowGraph {
  readonly ids: readonly string[];
  private readonly parentsOf = new Map<string, string[]>();
  private readonly childrenOf = new Map<string, string[]>();
  private readonly ancestorCache = new Map<string, ReadonlySet<string>>();
  private topoCache: readonly string[] | undefined;
  private rankCache: ReadonlyMap<string, number> | undefined;

  constructor(nodes: readonly GraphNode[]) {
    this.ids = nodes.map((n) => n.id);
    for (const id of this.ids) this.childrenOf.set(id, []);
    for (const node of nodes) {
      const parents = [...new Set(node.dependsOn.filter((p) => this.childrenOf.has(p)))];
      this.parentsOf.set(node.id, parents);
      for (const p of parents) this.childrenOf.get(p)?.push(node.id);
    }
  }

  parents(id: string): readonly string[] {
    return this.parentsOf.get(id) ?? [];
  }

  children(id: string): readonly string[] {
    return this.childrenOf.get(id) ?? [];
  }

  /**
   * Every node upstream of `id` (transitively), excluding `id` unless it sits on a cycle. Cached
   * per node asked for: asking for every node of a long chain would hold a quadratic number of ids.
   */
  ancestors(id: string): ReadonlySet<string> {
    const cached = this.ancestorCache.get(id);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack = [...this.parents(id)];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const p of this.parents(next)) stack.push(p);
    }
    this.ancestorCache.set(id, seen);
    return seen;
  }

  /**
   * True when `ancestor` is upstream of `id`. Walks up from `id` and stops at the answer, never
   * above `ancestor`'s place in topological order, so a reference to a near parent costs little.
   */
  isUpstream(ancestor: string, id: string): boolean {
    const rank = this.ranks();
    const floor = rank.get(ancestor);
    if (!this.parentsOf.has(ancestor) || !this.parentsOf.has(id)) return false;
    if (floor !== undefined && (rank.get(id) ?? Infinity) <= floor) return false;
    const seen = new Set<string>();
    const stack = [...this.parents(id)];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const p of this.parents(next)) if (floor === undefined || (rank.get(p) ?? Infinity) >= floor) stack.push(p);
    }
    return false;
  }

  /** Position of each node in topological order (nodes on a cycle have none). */
  ranks(): ReadonlyMap<string, number> {
    this.rankCache ??= new Map(this.topologicalOrder().map((id, i) => [id, i]));
    return this.rankCache;
  }

  /** Kahn's algorithm, ties broken by declaration order; nodes on a cycle are left out. Computed once (the graph never changes). */
  topologicalOrder(): string[] {
    this.topoCache ??= this.computeTopologicalOrder();
    return [...this.topoCache];
  }

  private computeTopologicalOrder(): string[] {
    const declared = new Map(this.ids.map((id, i) => [id, i]));
    const byDeclaration = (a: string, b: string): number => (declared.get(a) ?? 0) - (declared.get(b) ?? 0);
    const pending = new Map(this.ids.map((id) => [id, this.parents(id).length]));
    const order: string[] = [];
    let ready = this.ids.filter((id) => pending.get(id) === 0);
    while (ready.length > 0) {
      order.push(...ready);
      const next: string[] = [];
      for (const id of ready) {
        for (const child of this.children(id)) {
          const left = (pending.get(child) ?? 0) - 1;
          pending.set(child, left);
          if (left === 0) next.push(child);
        }
      }
      // each level sorted on its own: n log n in all, where filtering every id per level was n × depth
      ready = next.sort(byDeclaration);
    }
    return order;
  }

  /**
   * Elementary cycles found by a depth-first walk, in execution order: `[a, b, c, a]`; at most
   * `MAX_REPORTED_CYCLES`. The walk keeps its own stack (a long chain would overflow the call stack).
   */
  cycles(): string[][] {
    const state = new Map<string, 'open' | 'done'>();
    const onPath = new Map<string, number>();
    const path: string[] = [];
    const found = new Map<string, string[]>();
    for (const root of this.ids) {
      if (state.has(root)) continue;
      const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
      state.set(root, 'open');
      onPath.set(root, path.push(root) - 1);
      while (frames.length > 0) {
        const frame = frames[frames.length - 1] as { id: string; next: number };
        const child = this.children(frame.id)[frame.next];
        frame.next += 1;
        if (child === undefined) {
          frames.pop();
          path.pop();
          onPath.delete(frame.id);
          state.set(frame.id, 'done');
        } else if (state.get(child) === 'open') {
          if (found.size < MAX_REPORTED_CYCLES) {
            const cycle = [...path.slice(onPath.get(child)), child];
            found.set(canonicalCycleKey(cycle), cycle);
          }
        } else if (!state.has(child)) {
          state.set(child, 'open');
          onPath.set(child, path.push(child) - 1);
          frames.push({ id: child, next: 0 });
        }
      }
    }
    return [...found.values()];
  }

  /**
   * Nodes that may start now: not settled or running, every parent settled (completed or
   * skipped), and at least one parent completed (a root needs none). A join therefore waits
   * for all its live parents.
   */
  readyNodes(completed: ReadonlySet<string>, skipped: ReadonlySet<string>, running: ReadonlySet<string> = new Set()): string[] {
    return this.ids.filter((id) => {
      if (completed.has(id) || skipped.has(id) || running.has(id)) return false;
      const parents = this.parents(id);
      if (!parents.every((p) => completed.has(p) || skipped.has(p))) return false;
      return parents.length === 0 || parents.some((p) => completed.has(p));
    });
  }

  /**
   * Nodes to skip because every parent is skipped (what only skipped nodes feed), to a fixed
   * point. Call after marking a node skipped (its condition was false); returns the new ones.
   */
  propagateSkips(completed: ReadonlySet<string>, skipped: ReadonlySet<string>): string[] {
    const all = new Set(skipped);
    const added: string[] = [];
    for (const id of this.topologicalOrder()) {
      if (completed.has(id) || all.has(id)) continue;
      const parents = this.parents(id);
      if (parents.length > 0 && parents.every((p) => all.has(p))) {
        all.add(id);
        added.push(id);
      }
    }
    return added;
  }

  /** True when every node is completed or skipped. */
  isFinished(completed: ReadonlySet<string>, skipped: ReadonlySet<string>): boolean {
    return this.ids.every((id) => completed.has(id) || skipped.has(id));
  }
}

/** A flow with more cycles than this is reported with this many: each one is fixed the same way. */
const MAX_REPORTED_CYCLES = 20;

function canonicalCycleKey(cycle: readonly string[]): string {
  const ring = cycle.slice(0, -1);
  const start = ring.indexOf([...ring].sort()[0] as string);
  return [...ring.slice(start), ...ring.slice(0, start)].join('\u0000');
}

/** `a → b → c → a` */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}
