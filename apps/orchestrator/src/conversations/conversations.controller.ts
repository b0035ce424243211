import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiBodyOf } from '../http/api-schema.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ExecutionFeed } from '../executions/execution-feed.js';
import { writeSse, type SseResponse } from '../executions/sse.js';
import { parseBody } from '../http/parse-body.js';
import { newConversationInput, newMessageInput } from './conversation.input.js';
import { ConversationsService } from './conversations.service.js';

const createBody = newConversationInput.strict();
const messageBody = newMessageInput.strict();

type StreamingResponse = SseResponse & { status(code: number): unknown; json(body: unknown): unknown };

@ApiTags('conversations')
@Controller('v1/conversations')
@UseGuards(AuthGuard)
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly feed: ExecutionFeed,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Start a conversation with a flow (default: erp-assistant)' })
  @ApiBodyOf(createBody)
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.conversations.create(p, parseBody(createBody, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A conversation and its messages' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.conversations.get(p.tenantId, id);
  }

  /** 202 with the execution id; with `Accept: text/event-stream`, the execution's events and reply tokens as SSE. */
  @Post(':id/messages')
  @ApiOperation({ summary: 'Send a message: starts an execution of the flow', description: '202 with the execution id; with `Accept: text/event-stream`, the execution\'s events and reply tokens as SSE.' })
  @ApiBodyOf(messageBody)
  @ApiProduces('application/json', 'text/event-stream')
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
  @ApiOperation({ summary: 'Timeline: every event of every execution of the conversation, and its messages' })
  events(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.conversations.timeline(p.tenantId, id);
  }
}
