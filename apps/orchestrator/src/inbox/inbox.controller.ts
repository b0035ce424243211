import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { boundedInt } from '@spine/observability';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';
import { ApiBodyOf } from '../http/api-schema.js';
import { parseBody } from '../http/parse-body.js';
import type { Json } from '../store/execution.model.js';
import { InboxService } from './inbox.service.js';

const decisionBody = z
  .object({ decision: z.enum(['approve', 'reject', 'edit']), data: z.json().optional(), comment: z.string().max(4_000).optional() })
  .strict();

/** Human-in-the-loop tasks of the caller's tenant: reviewers and admins read and decide; clients do not. */
@ApiTags('inbox')
@Controller('v1/inbox')
@UseGuards(AuthGuard)
@Roles('reviewer', 'admin')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's open tasks, oldest first", description: 'Filters: flowId, role (assignee role), olderThanMs (open at least this long), limit (default 100).' })
  async list(@CurrentPrincipal() p: Principal, @Query('flowId') flowId?: string, @Query('role') role?: string, @Query('olderThanMs') olderThanMs?: string, @Query('limit') limit?: string) {
    const tasks = await this.inbox.list(p, {
      ...(flowId ? { flowId } : {}),
      ...(role ? { role } : {}),
      ...(olderThanMs ? { olderThanMs: boundedInt(olderThanMs, 'olderThanMs', { min: 0, max: 365 * 86_400_000 }) } : {}),
      limit: limit ? boundedInt(limit, 'limit', { min: 1, max: 1_000 }) : 100,
    });
    return { tasks };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One task (another tenant\'s: 404)' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.inbox.get(p, id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decide a task: approve, reject, or edit (data checked against the task\'s schema); once only (409 after)' })
  @ApiBodyOf(decisionBody)
  decide(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown) {
    const parsed = parseBody(decisionBody, body);
    return this.inbox.decide(p, id, { decision: parsed.decision, ...(parsed.data !== undefined ? { data: parsed.data as Json } : {}), ...(parsed.comment ? { comment: parsed.comment } : {}) });
  }
}
