import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appDataSourceOptions } from '@spine/persistence';
import { migrations } from './migrations/index.js';
import { ERP_SCHEMA, type ToolExecutorConfig } from './tool-executor.config.js';
import { CalendarTools } from './tools/calendar.tools.js';
import { ChunkPublisher, Clock, SystemClock } from '@spine/agent-kit';
import { ErpRepository } from './tools/erp.repository.js';
import { ErpTools } from './tools/erp.tools.js';
import { LedgerRepository } from './tools/ledger.repository.js';
import { McpTools } from './tools/mcp.tools.js';
import { ToolCallsService } from './tools/tool-calls.service.js';
import { ToolsHandler } from './tools/tools.handler.js';
import { SentMessagesRepository } from './tools/sent-messages.repository.js';
import { TemplateTools } from './tools/template.tools.js';

export function erpDataSource(url: string) {
  return { url, schema: ERP_SCHEMA, entities: [], migrations, applicationName: 'spine-tool-executor' };
}

@Module({})
export class ToolExecutorModule {
  static with(config: ToolExecutorConfig): DynamicModule {
    return {
      module: ToolExecutorModule,
      imports: [TypeOrmModule.forRoot(appDataSourceOptions(erpDataSource(config.DATABASE_URL)))],
      providers: [ToolsHandler, ToolCallsService, McpTools, ChunkPublisher, ErpTools, CalendarTools, TemplateTools, ErpRepository, SentMessagesRepository, LedgerRepository, { provide: Clock, useClass: SystemClock }],
      exports: [ToolsHandler],
    };
  }
}
