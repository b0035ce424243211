import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { SpineError } from '@spine/contracts';
import { z } from 'zod';
import { ApiKeysService, type ApiKeyView } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';
import { CurrentPrincipal, ROLES, Roles, type Principal, type Role } from './principal.js';

const createKey = z.object({ name: z.string().trim().min(1).max(120), role: z.enum(ROLES as [Role, ...Role[]]) }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]));
  throw SpineError.invalid(`invalid body: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
}

@Controller('v1')
@UseGuards(AuthGuard)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Which tenant and role the presented key has. */
  @Get('whoami')
  whoami(@CurrentPrincipal() p: Principal): Principal {
    return p;
  }

  /** Creates a key in the caller's tenant; the token is in this answer only. */
  @Post('admin/api-keys')
  @Roles('admin')
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<ApiKeyView & { token: string }> {
    const { name, role } = parse(createKey, body);
    return this.keys.create(p.tenantId, role, name);
  }

  @Get('admin/api-keys')
  @Roles('admin')
  async list(@CurrentPrincipal() p: Principal): Promise<{ keys: ApiKeyView[] }> {
    return { keys: await this.keys.list(p) };
  }

  @Delete('admin/api-keys/:id')
  @Roles('admin')
  @HttpCode(200)
  revoke(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ApiKeyView> {
    return this.keys.revoke(p, id);
  }
}
