import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { toSpineError } from '@spine/observability';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import type { SseResponse } from '../executions/sse.js';
import { ApiBodyOf } from '../http/api-schema.js';
import { parseBody } from '../http/parse-body.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { chatCompletionInput } from './openai.input.js';
import { OpenAiService } from './openai.service.js';

/** The part of Express's response the endpoint writes: JSON, or an event stream. */
type CompletionResponse = SseResponse & { status(code: number): unknown; json(body: unknown): unknown };

/** The header that continues a Spine conversation across calls (the `user` field continues one per user). */
const CONVERSATION_HEADER = 'x-spine-conversation-id';
const EXECUTION_HEADER = 'x-spine-execution-id';

/**
 * OpenAI-compatible endpoints under the same API keys: any OpenAI client (SDKs, chat UIs, gateways) talks to a
 * conversation flow with no code. Errors use OpenAI's shape.
 */
@ApiTags('openai')
@Controller('v1')
@UseGuards(AuthGuard)
@UseFilters(OpenAiErrorFilter)
export class OpenAiController {
  constructor(private readonly openai: OpenAiService) {}

  @Get('models')
  @ApiOperation({ summary: 'OpenAI-compatible: the tenant\'s conversation flows as models' })
  models(@CurrentPrincipal() p: Principal) {
    return this.openai.models(p);
  }

  @Get('models/:id')
  @ApiOperation({ summary: 'OpenAI-compatible: one conversation flow as a model' })
  model(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.openai.model(p, id);
  }

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'OpenAI-compatible chat completion: `model` names a conversation flow (`erp-assistant`, `flow:<id>[@version]`)',
    description: `The last user message is the new turn. \`user\` or the \`${CONVERSATION_HEADER}\` header continues a conversation; otherwise the earlier messages are the history. \`stream: true\` sends \`chat.completion.chunk\` events ending with the usage and \`[DONE]\`. The execution id is in \`id\` (\`chatcmpl-<execution id>\`) and the \`${EXECUTION_HEADER}\` header.`,
  })
  @ApiBodyOf(chatCompletionInput)
  @ApiProduces('application/json', 'text/event-stream')
  async complete(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Headers(CONVERSATION_HEADER) conversationId: string | undefined, @Res() res: CompletionResponse): Promise<void> {
    const input = parseBody(chatCompletionInput, body);
    const started = await this.openai.start(p, input, conversationId?.trim() || undefined);
    res.setHeader(EXECUTION_HEADER, started.sent.executionId);
    res.setHeader(CONVERSATION_HEADER, started.sent.conversationId);
    if (!input.stream) {
      res.json(await this.openai.complete(p, started));
      return;
    }
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      for await (const chunk of this.openai.stream(p, started, abort.signal)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    } catch (err) {
      const { code, message } = toSpineError(err).toJson();
      if (!res.writableEnded) res.write(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code } })}\n\n`);
    } finally {
      if (!res.writableEnded) {
        res.write('data: [DONE]\n\n');
        res.end();
      }
    }
  }
}
