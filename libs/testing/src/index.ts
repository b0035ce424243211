// Public API of @spine/testing. Signatures agreed between the test harness and the launcher;
// implementations live in ./lib/.
export { freePort, freePorts, freeRange } from './lib/ports.js';
export { startNats, type NatsServerHandle, type StartNatsOptions } from './lib/nats.js';
export { startPostgres, type PostgresHandle, type StartPostgresOptions } from './lib/postgres.js';
export { waitFor, within, WAIT_TIMEOUT_MS, type WaitForOptions } from './lib/wait-for.js';
export { startService, SOURCE_NODE_ARGS, type ServiceHandle, type StartServiceOptions } from './lib/service.js';
// Brings the inject('natsUrl' | 'databaseUrl' | 'postgresAdminUrl') types to every test that imports this lib.
import type {} from './lib/provided-context.js';
export { createDatabase } from './lib/database.js';
