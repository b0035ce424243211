import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';
import { positiveInt } from '../http/parse-body.js';
import { FlowsService } from './flows.service.js';

/** The flow registry: deploy (checks first; admins), dry-run validation, versions. Bodies are JSON or YAML. */
@Controller('v1/flows')
@UseGuards(AuthGuard)
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Post()
  @Roles('admin')
  deploy(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.flows.deploy(p.tenantId, body);
  }

  @Post('validate')
  @HttpCode(200)
  validate(@Body() body: unknown) {
    return this.flows.validate(body);
  }

  @Get()
  list(@CurrentPrincipal() p: Principal) {
    return this.flows.list(p.tenantId);
  }

  @Get(':id')
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.flows.get(p.tenantId, id);
  }

  @Get(':id/versions/:version')
  version(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('version') version: string) {
    return this.flows.get(p.tenantId, id, positiveInt(version, 'version'));
  }
}
