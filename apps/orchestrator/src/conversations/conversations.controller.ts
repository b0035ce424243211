import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ExecutionFeed } from '../executions/execution-feed.js';
import { writeSse, type SseResponse } from '../executions/sse.js';
import { parseBody } from '../http/parse-body.js';
import { ConversationsService } from './conversations.service.js';

const userId = z.string().trim().min(1).max(200);
const createBody = z
  .object({ flowId: z.string().trim().min(1).max(128).default('erp-assistant'), userId: userId.optional(), metadata: z.record(z.string(), z.unknown()).default({}) })
  .strict();
const messageBody = z
  .object({
    text: z.string().trim().min(1, 'is empty').max(8_000),
    userId: userId.optional(),
    locale: z.enum(['es', 'en']).optional(),
    timezone: z.string().min(1).max(64).refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'is not an IANA time zone').optional(),
  })
  .strict();

type StreamingResponse = SseResponse & { status(code: number): unknown; json(body: unknown): unknown };

@Controller('v1/conversations')
@UseGuards(AuthGuard)
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly feed: ExecutionFeed,
  ) {}

  @Post()
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.conversations.create(p, parseBody(createBody, body));
  }

  @Get(':id')
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.conversations.get(p.tenantId, id);
  }

  /** 202 with the execution id; with `Accept: text/event-stream`, the execution's events and reply tokens as SSE. */
  @Post(':id/messages')
  @HttpCode(202)
  async send(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() body: unknown, @Headers('accept') accept: string | undefined, @Res() res: StreamingResponse) {
    const sent = await this.conversations.send(p, id, parseBody(messageBody, body));
    if (!accept?.includes('text/event-stream')) {
      res.status(202);
      res.json({ ...sent, links: { execution: `/v1/executions/${sent.executionId}`, stream: `/v1/executions/${sent.executionId}/stream` } });
      return;
    }
    res.status(200);
    res.setHeader('x-execution-id', sent.executionId);
    const abort = new AbortController();
    await writeSse(res, this.feed.follow(p.tenantId, sent.executionId, { events: 0, chunks: 0 }, abort.signal), abort);
  }

  @Get(':id/events')
  events(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.conversations.timeline(p.tenantId, id);
  }
}
