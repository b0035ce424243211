import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { JsonObject } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InvokeContext } from '@spine/agent-kit';
import { ToolCallSchema, type PlannerInput, type PlannerOutputSchema } from '@spine/contracts';
import { missingChange, nodeModelSpec, type Locale, type ModelRouter, type ToolCall } from '@spine/llm';
import type { ToolSpec } from '@spine/tool-catalog';
import { Clock } from '@spine/agent-kit';
import { contextFacts } from './context-facts.js';
import { eventJustNamed } from './event-just-named.js';
import { groundedArguments } from './grounding.js';
import { planMessages } from './plan.prompt.js';
import { planRequestOf, type PlanRequest } from './plan.request.js';
import { clarifyQuestion, questionFor } from './question.js';
import { recurringRefusal, refusesRecurring } from './recurrence.js';
import { chooseTools, flowTypeOf } from './tool-choice.js';
import { checkArguments } from './tool-arguments.js';
import type { PlannedCall } from './round.types.js';
import { lookupFirst, secondRound } from './tool-rounds.js';

export const PLANNER_MODELS = Symbol('spine.planner.models');
export const PLANNER_DEFAULTS = Symbol('spine.planner.defaults');

export type PlannerModels = Pick<ModelRouter, 'forNode'>;
export interface PlannerDefaults {
  timezone: string;
  locale: Locale;
}
type Output = MessageInitShape<typeof PlannerOutputSchema>;
type Checked = PlannedCall & { missing: string[] };

/**
 * Message → tool calls ready for the tool-executor, or the missing fields and one question.
 * Whatever model plans, its arguments pass two gates here: the user must have said them, and the
 * tool's JSON Schema must accept them.
 */
@Injectable()
export class PlannerService {
  private readonly logger = new Logger(PlannerService.name);

  constructor(
    @Inject(PLANNER_MODELS) private readonly models: PlannerModels,
    @Inject(PLANNER_DEFAULTS) private readonly defaults: PlannerDefaults,
    private readonly clock: Clock,
  ) {}

  async plan(input: PlannerInput, ctx: InvokeContext): Promise<Output> {
    const req = planRequestOf(input, { ...this.defaults, now: this.clock.now(), scopeTools: ctx.scope?.allowedTools ?? [] });
    const choice = chooseTools(req);
    const flowType = req.flowType ?? 'Other';
    if (choice.kind === 'blocked') {
      this.logger.log({ msg: 'plan.blocked', flowType });
      return { flowType, ready: false, language: req.locale, blockedReason: choice.reason };
    }
    const provider = this.models.forNode(nodeModelSpec(ctx.model, ctx.scope?.allowedModels ?? []));
    const completion = await provider.complete({
      messages: planMessages(req),
      tools: choice.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
      toolChoice: choice.forced ? { name: choice.forced } : 'auto',
      locale: req.locale,
      now: req.now,
      knownNames: req.knownNames,
      temperature: 0,
      signal: ctx.signal,
      ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    });
    ctx.reportUsage(completion.usage);
    const model = completion.usage.model;
    const offered = new Map<string, ToolSpec>(choice.tools.map((t) => [t.name, t]));
    const calls = completion.toolCalls.filter((c) => offered.has(c.name));
    const [first] = calls;
    if (!first) {
      this.logger.log({ msg: 'plan.unclear', flowType });
      return { flowType, ready: false, language: req.locale, question: clarifyQuestion(req.locale), model };
    }
    const initial = calls.map((c) => this.check(c, offered.get(c.name) as ToolSpec, req));
    if (refusesRecurring(first.name, req.text)) {
      this.logger.log({ msg: 'plan.blocked', flowType: 'ScheduleMeeting', reason: 'recurring' });
      return { flowType: 'ScheduleMeeting', ready: false, language: req.locale, blockedReason: recurringRefusal(req.locale), model };
    }
    // The tool planned names the flow; the router saw one message, not the request an answer completes.
    const byTool = flowTypeOf(first.name);
    const planned = byTool !== 'Other' ? byTool : (req.flowType ?? 'Other');
    const round = this.round(initial, req);
    if (!Array.isArray(round)) return { flowType: planned, language: req.locale, model, ...round };
    const checked = round;
    const incomplete = checked.find((c) => c.missing.length > 0);
    if (incomplete) {
      this.logger.log({ msg: 'plan.missing', tool: incomplete.tool, missing: incomplete.missing });
      return {
        flowType: planned,
        ready: false,
        missingFields: incomplete.missing,
        question: questionFor(incomplete.tool, incomplete.missing, req.locale, this.said(req), req.now),
        language: req.locale,
        model,
      };
    }
    this.logger.log({ msg: 'plan.ready', tools: checked.map((c) => c.tool), round: req.round });
    return { flowType: planned, ready: true, toolCalls: checked.map((c) => this.toolCall(c)), language: req.locale, model };
  }

  /**
   * Seed 000's "tool loop max 2 rounds": in round 1 a lookup the plan depends on goes first (and asks for round 2);
   * in round 2 the plan is resolved against round 1's results. The calls to check, or the output to answer with.
   */
  private round(checked: Checked[], req: PlanRequest): Checked[] | { ready: boolean; followUp?: boolean; toolCalls?: ReturnType<PlannerService['toolCall']>[]; question?: string; blockedReason?: string } {
    if (req.round === 1) {
      const lookup = lookupFirst(checked, req);
      if (!lookup) return checked;
      this.logger.log({ msg: 'plan.lookup_first', tool: lookup.tool, then: checked.map((c) => c.tool) });
      return { ready: true, followUp: true, toolCalls: [this.toolCall(lookup)] };
    }
    const next = secondRound(checked, req.previousResults, req);
    if (next.kind === 'calls') return next.calls.map((c) => ({ ...c, missing: checkArguments(c.tool, c.args).missing }));
    this.logger.log({ msg: 'plan.second_round', outcome: next.kind });
    return { ready: false, ...(next.kind === 'question' ? { question: next.text } : { blockedReason: next.text }) };
  }

  private toolCall(c: PlannedCall) {
    return create(ToolCallSchema, { tool: c.tool, arguments: c.args as JsonObject });
  }

  private check(call: ToolCall, spec: ToolSpec, req: PlanRequest): Checked {
    const { kept, dropped } = groundedArguments(call.arguments, spec.parameters, { said: this.said(req), now: req.now, locale: req.locale, toolName: spec.name, known: req.knownNames });
    const { args, missing: required, refused } = checkArguments(spec.name, { ...contextFacts(spec, kept, req.context), ...eventJustNamed(spec, kept, req), ...kept });
    // "cambia la fecha de una tarea" → "la de pagar el hosting": the task is known, the new date is still to ask.
    const missing = [...required, ...missingChange(spec.name, args, this.said(req).join(' '))];
    if (dropped.length || refused.length) this.logger.log({ msg: 'plan.arguments.dropped', tool: spec.name, invented: dropped, refused });
    return { tool: spec.name, args, missing };
  }

  /** What the user wrote in this request: earlier turns of theirs and the message. */
  private said(req: PlanRequest): string[] {
    return [...req.history.filter((t) => t.role === 'user').map((t) => t.text), req.text];
  }
}
