import { describe, expect, it } from 'vitest';
import { appDataSourceOptions } from './data-source.js';
import { loadPersistenceConfig } from './persistence.config.js';

describe('DATABASE_POOL_SIZE', () => {
  it('defaults to 10 connections per process', () => expect(loadPersistenceConfig({}).DATABASE_POOL_SIZE).toBe(10));

  it('sizes the pool of every app data source unless the app sets one', () => {
    const init = { url: 'postgresql://u@h/db', schema: 's', entities: [], migrations: [], applicationName: 'a' };
    expect(appDataSourceOptions(init, { DATABASE_POOL_SIZE: 4 }).extra).toEqual({ max: 4 });
    expect(appDataSourceOptions({ ...init, poolSize: 2 }, { DATABASE_POOL_SIZE: 4 }).extra).toEqual({ max: 2 });
  });

  it.each(['0', 'ten', '1000'])('refuses %j, naming the variable', (value) => {
    expect(() => loadPersistenceConfig({ DATABASE_POOL_SIZE: value })).toThrow(/persistence: invalid configuration\n {2}DATABASE_POOL_SIZE/);
  });
});
