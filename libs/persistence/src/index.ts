export { appDataSourceOptions, runMigrations, type AppDataSourceInit } from './lib/data-source.js';
export { loadPersistenceConfig, type PersistenceConfig } from './lib/persistence.config.js';
export { queryRows, type SqlRunner } from './lib/query-rows.js';
