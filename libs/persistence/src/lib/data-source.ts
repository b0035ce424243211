import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { loadPersistenceConfig, type PersistenceConfig } from './persistence.config.js';

export interface AppDataSourceInit {
  url: string;
  /** Each app owns one Postgres schema; no app reads another's. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  applicationName: string;
  /** Overrides DATABASE_POOL_SIZE. */
  poolSize?: number;
}

/**
 * Postgres options every app uses: its own schema and migrations table, never `synchronize`, a pool of
 * DATABASE_POOL_SIZE. TLS comes with the URL (`?sslmode=verify-full&sslrootcert=/path/ca.crt`, read by pg).
 */
export function appDataSourceOptions(init: AppDataSourceInit, config: PersistenceConfig = loadPersistenceConfig()): DataSourceOptions {
  return {
    type: 'postgres',
    url: init.url,
    schema: init.schema,
    entities: init.entities,
    migrations: init.migrations,
    migrationsTableName: `${init.schema}_migrations`,
    synchronize: false,
    migrationsRun: false,
    applicationName: init.applicationName,
    extra: { max: init.poolSize ?? config.DATABASE_POOL_SIZE },
  };
}

/** Creates the app's schema if needed and applies pending migrations, each in its own transaction. */
export async function runMigrations(init: AppDataSourceInit): Promise<string[]> {
  const dataSource = new DataSource(appDataSourceOptions(init));
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${init.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
