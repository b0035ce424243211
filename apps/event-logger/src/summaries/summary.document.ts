import type { JsonObject, JsonValue, MessageInitShape } from '@bufbuild/protobuf';
import type { DocumentSchema } from '@spine/contracts';
import { toolSpec } from '@spine/tool-catalog';
import { memoryOf, type AuditRow } from '../audit/audit-row.js';

type Language = 'es' | 'en';
export type SummaryDocument = MessageInitShape<typeof DocumentSchema>;

/** A tool's headline when it ran, from its catalog entry ("Tarea creada"); a tool the catalog does not know (MCP) by its name. */
const donePhrase = (tool: string, language: Language): string => toolSpec(tool)?.done[language] ?? tool;

interface ToolFact {
  tool: string;
  ok: boolean;
  ids: string[];
  label: string;
  project: string;
}

const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** Tool results as the tool-executor returned them: only ids and values a tool gave, nothing made up. */
function toolFacts(output: JsonObject): ToolFact[] {
  const results = Array.isArray(output['results']) ? output['results'] : [];
  return results.flatMap((r) => {
    const res = obj(r);
    // The flow's own lookups (lookupNames) are no part of what the user did.
    if (!res || !str(res['tool']) || toolSpec(str(res['tool']))?.internal) return [];
    const result = obj(res['result']) ?? {};
    const ids = Object.entries(result)
      .filter(([k, v]) => (k === 'id' || k.endsWith('Id')) && typeof v === 'string' && v)
      .map(([k, v]) => `${k}=${String(v)}`);
    return [{ tool: str(res['tool']), ok: res['ok'] === true, ids, label: str(result['title']) || str(result['name']), project: str(result['project']) }];
  });
}

/**
 * The Cerebro document for a DONE execution, from its audit rows: what the user asked, the flow,
 * each tool called with the ids its result returned, and the date — so "¿qué tareas creé hoy?" finds it.
 */
export function summaryOf(rows: readonly AuditRow[]): SummaryDocument {
  const done = rows.find((r) => r.kind === 'state_changed' && r.state === 'DONE');
  const first = rows[0];
  if (!done || !first) throw new Error('summaryOf needs the rows of a DONE execution');
  const agentOf = new Map(rows.filter((r) => r.kind === 'node_started').map((r) => [r.nodeId, r.agent]));
  let userText = '';
  let language: Language = 'es';
  let flowType = '';
  const facts: ToolFact[] = [];
  for (const row of rows.filter((r) => r.kind === 'node_completed')) {
    const output = obj(obj(row.payload['nodeCompleted'])?.['output']) ?? {};
    const agent = agentOf.get(row.nodeId) ?? '';
    if ((agent === 'intake' || (!agent && 'language' in output)) && str(output['text'])) {
      userText = str(output['text']);
      if (output['language'] === 'en') language = 'en';
    }
    if ((agent === 'planner' || agent === 'router') && str(output['flowType'])) flowType = agent === 'planner' || !flowType ? str(output['flowType']) : flowType;
    if (agent === 'tool-executor' || Array.isArray(output['results'])) facts.push(...toolFacts(output));
  }
  const es = language === 'es';
  const memory = memoryOf(done);
  const date = done.at.toISOString().slice(0, 10);
  const lines = facts.map((f) => {
    const phrase = f.ok ? (donePhrase(f.tool, language)) : `${f.tool}: ${es ? 'falló' : 'failed'}`;
    const label = f.label ? ` «${f.label}»` : '';
    const project = f.project ? (es ? ` en el proyecto ${f.project}` : ` in the ${f.project} project`) : '';
    return `${phrase}${label}${project} (${f.tool}${f.ids.length ? `: ${f.ids.join(', ')}` : ''}).`;
  });
  const headline = facts.find((f) => f.ok);
  const title = headline ? `${donePhrase(headline.tool, language)}${headline.label ? `: ${headline.label}` : ''}` : es ? 'Flujo completado' : 'Flow completed';
  const text = [
    es ? `${title}. Completado el ${date}.` : `${title}. Completed on ${date}.`,
    userText ? (es ? `El usuario escribió: «${userText}».` : `The user wrote: "${userText}".`) : '',
    flowType ? (es ? `Flujo: ${flowType}.` : `Flow: ${flowType}.`) : '',
    ...lines,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: `summary-${done.executionId}`,
    title,
    version: String(done.sequence),
    kind: 'summary',
    language,
    text,
    metadata: {
      executionId: done.executionId,
      flowType: flowType || 'Other',
      date,
      tools: facts.map((f) => f.tool).join(','),
      ids: facts.flatMap((f) => f.ids).join(','),
      source: 'event-logger',
      // Retrieval shows a summary to this user only.
      ...(memory ? { conversationId: memory.conversationId, userId: memory.userId } : {}),
    },
  };
}
