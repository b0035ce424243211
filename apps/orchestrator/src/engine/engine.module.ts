import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { McpServersModule } from '../mcp-servers/mcp-servers.module.js';
import { FlowsModule } from '../flows/flows.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { StoreModule } from '../store/store.module.js';
import { SubflowsModule } from '../subflows/subflows.module.js';
import { AgentBreakers } from './dispatch/agent-breakers.js';
import { AgentDispatcher } from './dispatch/agent-dispatcher.js';
import { RemoteDispatch } from './dispatch/remote-dispatch.js';
import { ExecutorService } from './executor.service.js';
import { EventPublisher } from './outbox/event-publisher.js';

/**
 * Runs executions: claims and leases (ExecutorService), the DAG loop of one execution (run/), node dispatch to
 * built-in and third-party agents behind per-agent breakers (dispatch/), and the event outbox (outbox/). Others use
 * ExecutorService, and AgentDispatcher for one call outside any flow (the ERP tools offered over `/mcp`).
 */
@Module({
  imports: [StoreModule, FlowsModule, AgentsModule, InboxModule, McpServersModule, SubflowsModule],
  providers: [AgentBreakers, RemoteDispatch, AgentDispatcher, EventPublisher, ExecutorService],
  exports: [ExecutorService, AgentBreakers, AgentDispatcher],
})
export class EngineModule {}
