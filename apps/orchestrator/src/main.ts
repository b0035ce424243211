import { loadConfig } from './orchestrator.config.js';
import { startOrchestrator } from './orchestrator.app.js';

const orchestrator = await startOrchestrator(loadConfig());
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void orchestrator.close().then(() => process.exit(0)));
}
