import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { listDeadLetters, NATS_CONNECTION, replayDeadLetter, type DeadLetter } from '@spine/messaging';
import { boundedInt } from '@spine/observability';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';

const MAX_PAGE = 100;

/** A dead letter as the API shows it: the message as it was published (protobuf bytes) in base64. */
export type DeadLetterView = Omit<DeadLetter, 'tenant' | 'data'> & { data: string };

const view = ({ tenant: _tenant, data, ...rest }: DeadLetter): DeadLetterView => ({ ...rest, data: Buffer.from(data).toString('base64') });

/** Messages a consumer (the event-logger's audit) gave up on, for the tenant's admins to read and replay. */
@ApiTags('dead letters')
@Controller('v1/admin/dead-letters')
@UseGuards(AuthGuard)
export class DeadLettersController {
  private jsm: Promise<JetStreamManager> | undefined;

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  @Get()
  @ApiOperation({ summary: "The tenant's dead letters, oldest first (admin); page with ?after=<seq>&limit=" })
  @Roles('admin')
  async list(@CurrentPrincipal() p: Principal, @Query('after') after?: string, @Query('limit') limit?: string): Promise<{ deadLetters: DeadLetterView[]; next: number | null }> {
    const size = limit === undefined ? 50 : boundedInt(limit, 'limit', { min: 1, max: MAX_PAGE });
    const letters = await listDeadLetters(await this.manager(), p.tenantId, { afterSeq: after === undefined ? 0 : boundedInt(after, 'after'), limit: size });
    return { deadLetters: letters.map(view), next: letters.length === size ? letters.at(-1)!.seq : null };
  }

  @Post(':seq/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a dead letter again where it came from, then remove it (admin)' })
  @Roles('admin')
  async replay(@CurrentPrincipal() p: Principal, @Param('seq') seq: string): Promise<{ replayed: DeadLetterView }> {
    return { replayed: view(await replayDeadLetter(this.nc, await this.manager(), p.tenantId, boundedInt(seq, 'seq', { min: 1 }))) };
  }

  private manager(): Promise<JetStreamManager> {
    // A failed lookup is not cached: the next call tries again.
    return (this.jsm ??= jetstreamManager(this.nc).catch((err: unknown) => {
      this.jsm = undefined;
      throw err;
    }));
  }
}
