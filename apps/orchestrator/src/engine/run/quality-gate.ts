import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { FlowNode, FlowPlan } from '@spine/flow';
import { jsonContainsPii, redactJson } from '@spine/pii';

/** Gate actions that act (seed 000 §7.2); any other action (pass, …) is only a label downstream conditions read. */
export const REDACT = 'redact';
export const ESCALATE = 'escalate_to_human';

/** The flow has a gate that may redact: its execution's events (the stream, the audit trail, the summary) lose their personal data. */
export function hasRedactGate(plan: FlowPlan): boolean {
  return plan.order.some((id) => plan.node(id).kind === 'deterministic' && plan.node(id).checks.some((c) => c.action === REDACT));
}

/** What a gate's rules read as `input`: its inputs, and whether they hold personal data. */
export function gateInput(input: JsonObject): JsonObject {
  return { ...input, contains_pii: jsonContainsPii(input) };
}

const matchedOf = (output: JsonObject): string[] => (Array.isArray(output['matched']) ? output['matched'].filter((a): a is string => typeof a === 'string') : []);

export function escalates(output: JsonObject): boolean {
  return matchedOf(output).includes(ESCALATE);
}

/**
 * A gate's output once its actions acted. `redact`: its input, and every upstream output it read, lose their
 * personal data (`redacted` maps node id → clean output; NodeLedger serves those to downstream nodes). Without
 * `redact`, the input is passed on as it is.
 */
export function actOnGate(node: FlowNode, input: JsonObject, output: JsonObject, upstream: Readonly<Record<string, JsonValue>>): JsonObject {
  const { contains_pii: _checked, ...own } = input;
  if (!matchedOf(output).includes(REDACT)) return { ...output, input: own };
  const redacted: JsonObject = {};
  for (const id of node.dependsOn) if (upstream[id] !== undefined && jsonContainsPii(upstream[id])) redacted[id] = redactJson(upstream[id]);
  return { ...output, input: redactJson(own), redacted };
}

/** The gate's output after a person decided its escalation: approved (or edited), its non-escalating action stands. */
export function afterEscalation(gate: JsonObject, human: JsonObject, defaultAction: string): JsonObject {
  const approved = human['decision'] === 'approve' || human['decision'] === 'edit';
  const standing = matchedOf(gate).find((a) => a !== ESCALATE && a !== REDACT) ?? defaultAction;
  return { ...gate, action: approved ? standing : 'reject', escalation: human };
}

/** The inbox task an escalating gate opens: the reason, and what the person reviews. */
export function escalationConfig(node: FlowNode): JsonObject {
  const rules = node.checks.filter((c) => c.action === ESCALATE).map((c) => c.rule);
  const c = node.config;
  return {
    prompt: `Quality gate '${node.id}' escalated to a person: ${rules.map((r) => `'${r}'`).join(', ')} held`,
    decisions: ['approve', 'reject'],
    ...(typeof c['assigneeRole'] === 'string' ? { assigneeRole: c['assigneeRole'] } : {}),
    ...(typeof c['deadlineMs'] === 'number' ? { deadlineMs: c['deadlineMs'] } : {}),
  };
}
