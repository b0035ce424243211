import { bootstrapAgent } from '@spine/agent-kit';
import { AuditHandler } from './audit/audit.handler.js';
import { eventLoggerAgent } from './event-logger.agent.js';
import { loadConfig } from './event-logger.config.js';
import { EventLoggerModule } from './event-logger.module.js';

await bootstrapAgent({ agent: eventLoggerAgent, module: EventLoggerModule.with(loadConfig()), handler: AuditHandler });
