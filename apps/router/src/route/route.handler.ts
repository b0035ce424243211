import type { MessageInitShape } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AgentHandler, InvokeContext } from '@spine/agent-kit';
import { SpineError, type RouterInput, type RouterInputSchema, type RouterOutputSchema } from '@spine/contracts';
import { nodeModelSpec, type LocalProvider, type ModelRouter } from '@spine/llm';
import { decisionSchema, parseDecision, SYSTEM_PROMPT, withAnswerFacts, withCancel, withFollowUp, withKnowledgeRoute, withVagueRequest } from './route.decision.js';

export const MODEL_ROUTER = Symbol('spine.router.models');
export const LOCAL_PROVIDER = Symbol('spine.router.local');
const MAX_TEXT = 8_000;

/** Decides the route, intent and confidence of a message through the node's model. Calls no tool. */
@Injectable()
export class RouteHandler implements AgentHandler<typeof RouterInputSchema, typeof RouterOutputSchema>, OnApplicationBootstrap {
  private readonly logger = new Logger(RouteHandler.name);

  constructor(
    @Inject(MODEL_ROUTER) private readonly models: ModelRouter,
    @Inject(LOCAL_PROVIDER) private readonly local: LocalProvider,
  ) {}

  onApplicationBootstrap(): void {
    // Loading the embedding model takes seconds: do it in the background; the first request waits for it.
    const started = Date.now();
    void this.local.warmUp().then(() => this.logger.log({ msg: 'router.warm', ms: Date.now() - started }));
  }

  async handle(input: RouterInput, ctx: InvokeContext): Promise<MessageInitShape<typeof RouterOutputSchema>> {
    const text = input.text.trim();
    if (!text) throw SpineError.invalid('text is empty', { field: 'input.text' });
    if (text.length > MAX_TEXT) throw SpineError.invalid(`text is longer than ${MAX_TEXT} characters`, { field: 'input.text' });
    const provider = this.models.forNode(nodeModelSpec(ctx.model, ctx.scope?.allowedModels ?? []));
    const completion = await provider.complete({
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: text },
      ],
      responseFormat: { type: 'json_schema', name: 'route', schema: decisionSchema, strict: true },
      ...(input.language === 'es' || input.language === 'en' ? { locale: input.language } : {}),
      signal: ctx.signal,
      ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    });
    const { usage } = completion;
    ctx.reportUsage(usage);
    const decision = withCancel(withAnswerFacts(withKnowledgeRoute(withVagueRequest(withFollowUp(parseDecision(completion.output), text), text), text), text), text);
    this.logger.log({ msg: 'route.decided', route: decision.route, intent: decision.intent, confidence: decision.confidence });
    return { ...decision, model: usage.model };
  }
}
