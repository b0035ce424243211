import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Clock, type InvokeContext } from '@spine/agent-kit';
import { PlannerInputSchema, type PlannerInput } from '@spine/contracts';
import { createModelRouter, loadLlmConfig } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { PlannerService } from '../planner.service.js';

export type PlannerTestInput = Omit<MessageInitShape<typeof PlannerInputSchema>, '$typeName'>;

/** A planner on the local provider (hashed embedder) at a fixed instant, for unit tests of what it plans. */
export function localPlanner(opts: { now: Date; timezone: string; knownNames: PlannerTestInput['knownNames'] }) {
  const { now, timezone, knownNames } = opts;
  class FixedClock extends Clock {
    now(): Date {
      return now;
    }
  }
  const models = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
  const ctx: InvokeContext = { executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined, scope: undefined, signal: new AbortController().signal, reportUsage: () => undefined };
  const input = (o: PlannerTestInput): PlannerInput =>
    create(PlannerInputSchema, { timezone, now: timestampFromDate(now), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), knownNames, ...o });
  const plan = (o: PlannerTestInput) => new PlannerService(models, { timezone: 'UTC', locale: 'es' }, new FixedClock()).plan(input(o), ctx);
  const callOf = (out: Awaited<ReturnType<typeof plan>>) => out.toolCalls?.map((c) => ({ tool: c.tool, arguments: c.arguments }));
  return { input, plan, callOf };
}
