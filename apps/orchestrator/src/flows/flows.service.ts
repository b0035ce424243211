import { Inject, Injectable } from '@nestjs/common';
import { SpineError } from '@spine/contracts';
import { checkFlowInSlices, flowIssuesError, FlowPlan, loadFlow, type FlowCatalog, type FlowDefinition, type FlowIssue } from '@spine/flow';
import { parse as parseYaml } from 'yaml';
import type { Json } from '../store/execution.model.js';
import { flowLimitsOf, ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { FlowCatalogService } from './flow-catalog.service.js';
import { FlowDocuments } from './flow-documents.js';
import { FlowsRepository, type FlowVersionRow } from './flows.repository.js';
import { subflowCatalog } from './subflow-catalog.js';

export interface FlowVersionView {
  id: string;
  version: number;
  label: string | null;
  name: string | null;
  nodes: { id: string; kind: string; agent: string | null; dependsOn: string[] }[];
  /** The trigger's type: `message_received` flows are conversations (every door fills their trigger the same way). */
  trigger: string;
  /** The trigger's declared JSON Schema, if the flow declares one. */
  triggerSchema: Json | null;
  definition: Json;
  createdAt: Date;
}

/** A flow document from a request body: JSON already parsed, or YAML text. */
function documentOf(body: unknown): Json {
  if (typeof body !== 'string') return (body ?? {}) as Json;
  try {
    return parseYaml(body, { maxAliasCount: 100 }) as Json;
  } catch (err) {
    throw SpineError.invalid(`the flow is not valid YAML: ${(err as Error).message}`, { field: 'body' });
  }
}

/** A flow over a size or expression limit is refused outright, even by a dry run: it is hostile or broken, not a draft. */
const REFUSED: ReadonlySet<string> = new Set(['FLOW_LIMIT', 'CEL_LIMIT', 'CEL_REGEX']);

/** Deploy (checks first, then an immutable new version), dry-run validation, reads; and the executable plan of a version. */
@Injectable()
export class FlowsService {
  private readonly plans = new Map<string, FlowPlan>();
  private readonly limits: ReturnType<typeof flowLimitsOf>;

  constructor(
    private readonly flows: FlowsRepository,
    private readonly catalog: FlowCatalogService,
    private readonly documents: FlowDocuments,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
  ) {
    this.limits = flowLimitsOf(config);
  }

  async validate(tenantId: string, body: unknown): Promise<{ valid: boolean; issues: FlowIssue[] }> {
    const document = documentOf(body);
    const { issues } = await checkFlowInSlices(document, await this.deployCatalog(tenantId, document), this.limits);
    if (issues.some((i) => REFUSED.has(i.code))) throw flowIssuesError(issues);
    return { valid: issues.length === 0, issues };
  }

  async deploy(tenantId: string, body: unknown): Promise<FlowVersionView> {
    const document = documentOf(body);
    const { flow, issues } = await checkFlowInSlices(document, await this.deployCatalog(tenantId, document), this.limits);
    if (!flow || issues.length > 0) throw flowIssuesError(issues);
    const row = await this.flows.append(tenantId, flow.id, document);
    // The assistant can answer questions about the tenant's flows (kind `flow` in Cerebro); the latest version replaces the last.
    this.documents.indexFlow(tenantId, flow, row.version);
    return this.view(flow, row);
  }

  async get(tenantId: string, id: string, version?: number): Promise<FlowVersionView> {
    const row = await this.flows.get(tenantId, id, version);
    if (!row) throw SpineError.notFound(version === undefined ? `no flow '${id}'` : `flow '${id}' has no version ${version}`);
    return this.view(loadFlow(row.definition, this.limits), row);
  }

  async list(tenantId: string) {
    return { flows: await this.flows.list(tenantId) };
  }

  /** The plan of a stored version, built once per replica (versions never change). */
  async plan(tenantId: string, id: string, version: number): Promise<FlowPlan> {
    const key = `${tenantId}/${id}@${version}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const row = await this.flows.get(tenantId, id, version);
    if (!row) throw SpineError.notFound(`flow '${id}' has no version ${version}`);
    const plan = await FlowPlan.createInSlices(loadFlow(row.definition, this.limits), await this.catalog.catalog(tenantId), this.limits.limits);
    this.plans.set(key, plan);
    return plan;
  }

  /** The catalog plus the deployed flows the document's `flow` nodes run (for their checks). */
  private async deployCatalog(tenantId: string, document: Json): Promise<FlowCatalog> {
    return { ...(await this.catalog.catalog(tenantId)), flows: await subflowCatalog(this.flows, tenantId, document, this.limits) };
  }

  private view(flow: FlowDefinition, row: FlowVersionRow): FlowVersionView {
    return {
      id: row.id,
      version: row.version,
      label: flow.version ?? null,
      name: flow.name ?? null,
      nodes: flow.nodes.map((n) => ({ id: n.id, kind: n.kind, agent: n.agent ?? null, dependsOn: n.dependsOn })),
      trigger: flow.trigger.type,
      triggerSchema: (flow.trigger.schema as Json | undefined) ?? null,
      definition: row.definition,
      createdAt: row.createdAt,
    };
  }
}
