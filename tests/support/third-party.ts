import { createDatabase, freePort, SOURCE_NODE_ARGS, startService, type ServiceHandle } from '@spine/testing';
import { join } from 'node:path';
import { entry, FAST_HEALTH, repoRoot } from './mesh.js';

/** Probes fast enough for tests: a stopped agent is unhealthy after two failed probes, 200 ms apart. */
export const FAST_PROBES = { PROBE_INTERVAL_MS: '200', PROBE_TIMEOUT_MS: '150', PROBE_HEALTHY_THRESHOLD: '1', PROBE_UNHEALTHY_THRESHOLD: '2', PROBE_LEASE_MS: '2000' };

/** The registry (from dist/) with fast probes and 127.0.0.1 allowed for third-party endpoints. */
export async function startProbingRegistry(natsUrl: string, postgresAdminUrl: string): Promise<{ service: ServiceHandle; url: string; port: number }> {
  const env = { NATS_URL: natsUrl, DATABASE_URL: await createDatabase(postgresAdminUrl, 'registry'), LOG_LEVEL: 'warn', AGENT_ENDPOINT_ALLOW: '127.0.0.1', ...FAST_HEALTH, ...FAST_PROBES };
  const migrate = await startService({ name: 'registry-migrate', entry: entry('registry', 'migrate.js'), env });
  const code = await migrate.exited;
  if (code !== 0) throw new Error(`registry migrations failed (${code}):\n${migrate.lines().join('\n')}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await startService({ name: 'registry', entry: entry('registry'), env: { ...env, HTTP_PORT: String(port) }, readyUrl: `${url}/health/ready` });
  return { service, url, port };
}

/** A third-party agent written with @spine/agent-sdk (support/sdk-agent.ts) as its own process, on a fixed port so it can restart in place. */
export async function startSdkAgent(transport: 'http' | 'grpc', port: number, secret = ''): Promise<ServiceHandle> {
  const service = await startService({
    name: `sdk-${transport}`,
    entry: join(repoRoot, 'tests/support/sdk-agent.ts'),
    nodeArgs: [...SOURCE_NODE_ARGS],
    cwd: repoRoot,
    env: { TRANSPORT: transport, PORT: String(port), SECRET: secret },
  });
  await service.line((line) => line.startsWith('READY'), 'READY');
  return service;
}
