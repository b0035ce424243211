import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiBodyOf } from '../http/api-schema.js';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { parseBody } from '../http/parse-body.js';
import { boundedInt } from '@spine/observability';
import type { Json } from '../store/execution.model.js';
import { ExecutionList, listQuery } from './execution-list.js';
import { ExecutionsService } from './executions.service.js';
import { callerInput } from '../auth/caller-input.js';

const startBody = z
  .object({
    input: z.record(z.string(), z.unknown()).default({}),
    version: z.number().int().positive().optional(),
    /** Answer when the execution settles (DONE, FAILED, CANCELLED, WAITING_INPUT) instead of at once. */
    wait: z.boolean().default(false),
    waitTimeoutMs: z.number().int().min(1).max(300_000).default(60_000),
  })
  .strict();

/** `?after=` an event sequence number (a Postgres bigint); absent means from the start. */
const afterQuery = (after: string | undefined) => (after === undefined || after === '' ? 0 : boundedInt(after, 'after'));

@ApiTags('executions')
@Controller('v1')
@UseGuards(AuthGuard)
export class ExecutionsController {
  constructor(
    private readonly executions: ExecutionsService,
    private readonly list: ExecutionList,
  ) {}

  /** Starts an execution of the flow; 202 with its id (or, with `wait`, 200 with the settled execution). */
  @Post('flows/:id/executions')
  @ApiOperation({ summary: "Start an execution of the flow's latest version (or `version`)", description: '202 with the execution id and links; with `wait: true`, 200 with the execution once it settles (DONE, FAILED, CANCELLED, WAITING_INPUT).' })
  @ApiBodyOf(startBody)
  @HttpCode(202)
  async start(@CurrentPrincipal() p: Principal, @Param('id') flowId: string, @Body() body: unknown, @Res({ passthrough: true }) res: { status(code: number): unknown }) {
    const { input, version, wait, waitTimeoutMs } = parseBody(startBody, body);
    const row = await this.executions.start(p.tenantId, flowId, callerInput(p, input as Json), version === undefined ? {} : { version });
    if (wait) {
      res.status(200);
      return this.executions.waitFor(p.tenantId, row.id, waitTimeoutMs);
    }
    return { executionId: row.id, flowId: row.flowId, flowVersion: row.flowVersion, state: row.state, links: { self: `/v1/executions/${row.id}`, stream: `/v1/executions/${row.id}/stream` } };
  }

  @Get('executions')
  @ApiOperation({ summary: "The tenant's executions, newest first, a page at a time", description: 'Filters: `flowId`, `state`, `from`/`to` (created, ISO 8601), `q` (an id\'s beginning, or text in the input or error). `limit` (1-200, default 50); pass the answer\'s `nextCursor` as `cursor` for the next page (stable while executions are created).' })
  @ApiQuery({ name: 'flowId', required: false })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  page(@CurrentPrincipal() p: Principal, @Query() query: Record<string, string>) {
    return this.list.page(p.tenantId, parseBody(listQuery, query));
  }

  @Get('executions/:id')
  @ApiOperation({ summary: "An execution: state, error, and every node's input, output, attempts and timings" })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.executions.get(p.tenantId, id);
  }

  /** The execution's event log after `after` (a sequence number). */
  @Get('executions/:id/events')
  @ApiOperation({ summary: "The execution's append-only event log after `after`" })
  async events(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query('after') after?: string) {
    return { events: await this.executions.events(p.tenantId, id, afterQuery(after)) };
  }

  @Post('executions/:id/cancel')
  @ApiOperation({ summary: 'Cancel: nothing is dispatched after this; the execution ends CANCELLED' })
  @HttpCode(202)
  cancel(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.executions.cancel(p.tenantId, id);
  }
}
