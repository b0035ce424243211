import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiBodyOf } from '../http/api-schema.js';
import { z } from 'zod';
import { parseBody } from '../http/parse-body.js';
import { ApiKeysService, type ApiKeyView } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';
import { CurrentPrincipal, ROLES, Roles, type Principal, type Role } from './principal.js';

const createKey = z
  .object({
    name: z.string().trim().min(1).max(120),
    role: z.enum(ROLES as [Role, ...Role[]]),
    // A person's key: who they are in the ERP (email or user id); their messages act for them.
    userId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();


@ApiTags('api keys')
@Controller('v1')
@UseGuards(AuthGuard)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Which tenant and role the presented key has. */
  @Get('whoami')
  @ApiOperation({ summary: 'The tenant and role of the presented key' })
  whoami(@CurrentPrincipal() p: Principal): Principal {
    return p;
  }

  /** Creates a key in the caller's tenant; the token is in this answer only. */
  @Post('admin/api-keys')
  @ApiOperation({ summary: "Create a key in the caller's tenant (admin); the token is in this answer only" })
  @ApiBodyOf(createKey)
  @Roles('admin')
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<ApiKeyView & { token: string }> {
    const { name, role, userId } = parseBody(createKey, body);
    return this.keys.create(p.tenantId, role, name, userId);
  }

  @Get('admin/api-keys')
  @ApiOperation({ summary: "The tenant's keys, without secrets (admin)" })
  @Roles('admin')
  async list(@CurrentPrincipal() p: Principal): Promise<{ keys: ApiKeyView[] }> {
    return { keys: await this.keys.list(p) };
  }

  @Delete('admin/api-keys/:id')
  @ApiOperation({ summary: 'Revoke a key (admin)' })
  @Roles('admin')
  @HttpCode(200)
  revoke(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ApiKeyView> {
    return this.keys.revoke(p, id);
  }
}
