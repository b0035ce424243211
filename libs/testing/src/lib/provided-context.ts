import type {} from 'vitest';

// What global-setup.ts hands to int and e2e tests through vitest's inject().
declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    databaseUrl: string;
    postgresAdminUrl: string;
  }
}
