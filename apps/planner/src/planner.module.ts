import { type DynamicModule, Module } from '@nestjs/common';
import { createModelRouter, type LlmConfig } from '@spine/llm';
import { Clock, SystemClock } from '@spine/agent-kit';
import { PlanHandler } from './plan/plan.handler.js';
import { PLANNER_DEFAULTS, PLANNER_MODELS, PlannerService } from './plan/planner.service.js';

@Module({})
export class PlannerModule {
  static with(config: LlmConfig): DynamicModule {
    return {
      module: PlannerModule,
      providers: [
        PlanHandler,
        PlannerService,
        { provide: PLANNER_MODELS, useValue: createModelRouter(config) },
        { provide: PLANNER_DEFAULTS, useValue: { timezone: config.LOCAL_TIMEZONE, locale: config.LOCAL_LOCALE } },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [PlanHandler],
    };
  }
}
