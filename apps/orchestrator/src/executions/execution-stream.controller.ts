import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { ExecutionFeed, parsePosition } from './execution-feed.js';
import { ExecutionsService } from './executions.service.js';
import { writeSse, type SseResponse } from './sse.js';

/** GET /v1/executions/{id}/stream: the execution's events and reply tokens as SSE; resumes from Last-Event-ID on any replica. */
@ApiTags('executions')
@Controller('v1/executions')
@UseGuards(AuthGuard)
export class ExecutionStreamController {
  constructor(
    private readonly executions: ExecutionsService,
    private readonly feed: ExecutionFeed,
  ) {}

  @Get(':id/stream')
  @ApiOperation({ summary: 'Server-Sent Events: the execution\'s events and reply tokens', description: 'Every event has an `id:`; reconnect with `Last-Event-ID` (or `?lastEventId=`) on any replica to resume with no gap and no duplicate. Ends with `event: end`.' })
  @ApiProduces('text/event-stream')
  async stream(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: string | undefined,
    @Res() res: SseResponse,
  ): Promise<void> {
    await this.executions.get(p.tenantId, id); // 404 as JSON before the stream starts
    const abort = new AbortController();
    await writeSse(res, this.feed.follow(p.tenantId, id, parsePosition(lastEventId ?? lastEventIdQuery), abort.signal), abort);
  }
}
