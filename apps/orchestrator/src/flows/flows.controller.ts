import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';
import { positiveInt } from '../http/parse-body.js';
import { FlowsService } from './flows.service.js';

/** The flow registry: deploy (checks first; admins), dry-run validation, versions. Bodies are JSON or YAML. */
@ApiTags('flows')
@Controller('v1/flows')
@UseGuards(AuthGuard)
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Deploy a flow (admin): every check first, then a new immutable version', description: 'JSON, or YAML with Content-Type: application/yaml. The seed 000 Agent Flow JSON (agents[]) and the Spine form (nodes[] with dependsOn or edges) are both accepted. 400 lists every problem by path.' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true, required: ['id'] } })
  deploy(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.flows.deploy(p.tenantId, body);
  }

  @Post('validate')
  @ApiOperation({ summary: 'Check a flow without deploying it: { valid, issues[] }' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @HttpCode(200)
  validate(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.flows.validate(p.tenantId, body);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's flows, each with its latest version" })
  list(@CurrentPrincipal() p: Principal) {
    return this.flows.list(p.tenantId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The latest version of a flow' })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.flows.get(p.tenantId, id);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version of a flow (versions never change)' })
  version(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('version') version: string) {
    return this.flows.get(p.tenantId, id, positiveInt(version, 'version'));
  }
}
