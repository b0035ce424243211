import { bootstrapAgent } from '@spine/agent-kit';
import { IntakeHandler } from './intake/intake.handler.js';
import { intakeAgent } from './intake.agent.js';
import { IntakeModule } from './intake.module.js';

await bootstrapAgent({ agent: intakeAgent, module: IntakeModule, handler: IntakeHandler });
