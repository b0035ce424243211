export { appDataSourceOptions, runMigrations, type AppDataSourceInit } from './lib/data-source.js';
export { queryRows, type SqlRunner } from './lib/query-rows.js';
