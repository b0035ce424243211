import 'reflect-metadata';
import { loadConfig } from './registry.config.js';
import { startRegistry } from './registry.app.js';

const registry = await startRegistry(loadConfig());
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void registry.close().then(() => process.exit(0)));
}
