import { assertDeployable, type FlowCatalog } from '@spine/flow';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { parse as parseYaml } from 'yaml';

/** Flows every tenant gets on first start: apps/orchestrator/flows/ (two folders up from this module, built or bundled). */
const FLOWS_DIR = join(import.meta.dirname, '..', '..', 'flows');
/**
 * Each default flow's file. customer-support-flow is seed 000 §7.2's JSON byte for byte (JSON is YAML, so one parser
 * reads both): it runs on the stock agents as written — llm, retrieval, the orchestrator's quality gate and inbox, and
 * the tool-executor's send_template.
 */
const FILES = { 'erp-assistant': 'erp-assistant.flow.yaml', 'customer-support-flow': 'customer-support-flow.flow.json' } as const;
export const DEFAULT_FLOWS = Object.keys(FILES) as (keyof typeof FILES)[];

export function defaultFlowText(id: keyof typeof FILES): string {
  return readFileSync(join(FLOWS_DIR, FILES[id]), 'utf8');
}

/**
 * Installs each default flow as version 1 for the tenant, unless the tenant already has that flow (a later deploy
 * is never overwritten). Checked like any deploy, against the built-in agents. Returns the ids installed.
 */
export async function installDefaultFlows(db: DataSource, tenantId: string, catalog: FlowCatalog): Promise<string[]> {
  const installed: string[] = [];
  for (const id of DEFAULT_FLOWS) {
    const document = parseYaml(defaultFlowText(id)) as unknown;
    assertDeployable(document, catalog);
    const rows = (await db.query(
      `INSERT INTO orchestrator.flows (tenant_id, id, version, definition)
       SELECT $1, $2, 1, $3 WHERE NOT EXISTS (SELECT 1 FROM orchestrator.flows WHERE tenant_id = $1 AND id = $2) RETURNING id`,
      [tenantId, id, JSON.stringify(document)],
    )) as unknown[];
    if (rows.length > 0) installed.push(id);
  }
  return installed;
}
