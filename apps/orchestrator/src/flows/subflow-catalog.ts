import { catalogFlowOf, MAX_SUBFLOW_DEPTH, readFlow, subflowKey, subflowsOf, type CatalogFlow, type LoadFlowOptions, type SubflowRef } from '@spine/flow';
import type { FlowsRepository } from './flows.repository.js';

/** How many deployed flows one deploy may look up through its sub-flows. */
const MAX_LOOKUPS = 64;

/**
 * The deployed flows a document's `flow` nodes run, and theirs, level by level down to one past MAX_SUBFLOW_DEPTH
 * (enough for the validator to see a chain too deep or a cycle): what `FlowCatalog.flows` holds for one deploy.
 */
export async function subflowCatalog(flows: FlowsRepository, tenantId: string, document: unknown, options: LoadFlowOptions): Promise<Map<string, CatalogFlow>> {
  const found = new Map<string, CatalogFlow>();
  const read = readFlow(document, options);
  if (!read.ok) return found;
  let level: SubflowRef[] = subflowsOf(read.flow);
  for (let depth = 0; depth <= MAX_SUBFLOW_DEPTH && level.length > 0 && found.size < MAX_LOOKUPS; depth++) {
    const next: SubflowRef[] = [];
    for (const ref of level) {
      const key = subflowKey(ref);
      if (found.has(key) || found.size >= MAX_LOOKUPS) continue;
      const row = await flows.get(tenantId, ref.id, ref.version);
      if (!row) continue;
      const child = readFlow(row.definition, options);
      if (!child.ok) continue;
      const entry = catalogFlowOf(child.flow);
      found.set(key, entry);
      next.push(...entry.subflows);
    }
    level = next;
  }
  return found;
}
