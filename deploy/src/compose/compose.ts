import { SERVICES, type ServiceSpec } from '../services.js';
import { SHUTDOWN_GRACE_MS, UID } from '../k8s/cluster.js';
import { GENERATED_HEADER, toYaml } from '../k8s/base.js';
import { natsEnvName } from '../nats/permissions.js';
import { COMPOSE_NATS_CONFIG } from './nats-config.js';

// Pinned: a moving tag changes what `docker compose up` runs without a commit.
export const INFRA_IMAGES = {
  nats: 'nats:2.11.9-alpine',
  postgres: 'postgres:17.6-bookworm',
  qdrant: 'qdrant/qdrant:v1.15.5',
} as const;

const SPINE_IMAGE = '${SPINE_IMAGE:-spine:local}';
const required = (name: string) => `\${${name}:?set ${name} (see deploy/README.md, Compose)}`;
const databaseUrl = `postgresql://spine:${required('POSTGRES_PASSWORD')}@postgres:5432/spine`;

const hardening = {
  user: `${UID}:${UID}`,
  read_only: true,
  tmpfs: ['/tmp'],
  cap_drop: ['ALL'],
  security_opt: ['no-new-privileges:true'],
};
const build = { context: '../..', dockerfile: 'deploy/docker/Dockerfile' };
type DependsOn = Record<string, { condition: 'service_healthy' | 'service_completed_successfully' }>;

function spineEnv(spec: ServiceSpec): Record<string, string | null> {
  const env: Record<string, string | null> = {
    SERVICE: spec.name,
    NATS_URL: 'nats://nats:4222',
    // Its own user (deploy/compose/nats.conf): the nats service refuses anonymous clients.
    NATS_USER: spec.name,
    NATS_PASSWORD: required(natsEnvName(spec.name)),
    HTTP_HOST: '0.0.0.0',
    HTTP_PORT: String(spec.httpPort),
    LOG_LEVEL: 'info',
    LLM_DEFAULT_MODEL: '${LLM_DEFAULT_MODEL:-local}',
    SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
    ...spec.env,
  };
  if (spec.grpcPort) env['GRPC_PORT'] = String(spec.grpcPort);
  if (spec.database) env['DATABASE_URL'] = databaseUrl;
  if (spec.vectorStore) Object.assign(env, { VECTOR_STORE: 'qdrant', QDRANT_URL: 'http://qdrant:6333', QDRANT_API_KEY: required('QDRANT_API_KEY') });
  // No value: passed through from the shell when set, absent otherwise (an empty key fails the app's config check).
  if (spec.llm) env['OPENAI_API_KEY'] = null;
  Object.assign(env, agentSecretKeyEnv(spec));
  // Optional: without it the registry's operator API answers only calls from inside its container.
  if (spec.operatorApi) env['OPERATOR_TOKEN'] = null;
  return env;
}

function dependsOn(spec: ServiceSpec): DependsOn {
  const deps: DependsOn = { nats: { condition: 'service_healthy' } };
  if (spec.database) deps[`migrate-${spec.name}`] = { condition: 'service_completed_successfully' };
  if (spec.vectorStore) deps['qdrant'] = { condition: 'service_healthy' };
  // Agents register on boot: start them once the registry answers.
  if (spec.role === 'agent') deps['registry'] = { condition: 'service_healthy' };
  return deps;
}

function spineService(spec: ServiceSpec) {
  const ports = [`${spec.httpPort}:${spec.httpPort}`, ...(spec.grpcPort ? [`${spec.grpcPort}:${spec.grpcPort}`] : [])];
  return {
    image: SPINE_IMAGE,
    build,
    command: ['main'],
    environment: spineEnv(spec),
    // Only the public API is published: the registry's operator API stays inside (docker compose exec registry …).
    ...(spec.public ? { ports } : {}),
    depends_on: dependsOn(spec),
    restart: 'unless-stopped',
    stop_grace_period: '30s',
    healthcheck: { test: ['CMD', 'node', 'deploy/docker/healthcheck.ts'], interval: '10s', timeout: '3s', retries: 5, start_period: '30s' },
    ...hardening,
  };
}

/** The image sets NODE_ENV=production: the orchestrator (and its migration, which re-seals) refuses to start without the key. */
function agentSecretKeyEnv(spec: ServiceSpec): Record<string, string> {
  return spec.sealsAgentSecrets ? { AGENT_SECRET_KEY: required('SPINE_AGENT_SECRET_KEY'), AGENT_SECRET_KEY_PREVIOUS: '${SPINE_AGENT_SECRET_KEY_PREVIOUS:-}' } : {};
}

function migrateService(spec: ServiceSpec) {
  return {
    image: SPINE_IMAGE,
    build,
    command: ['migrate'],
    environment: { SERVICE: spec.name, DATABASE_URL: databaseUrl, ...agentSecretKeyEnv(spec) },
    depends_on: { postgres: { condition: 'service_healthy' } },
    restart: 'on-failure',
    ...hardening,
  };
}

export function composeFile(): string {
  const services: Record<string, unknown> = {
    nats: {
      image: INFRA_IMAGES.nats,
      command: ['-c', COMPOSE_NATS_CONFIG],
      // nats-server reads each `$SPINE_NATS_<SERVICE>_PASSWORD` of its config from here.
      environment: Object.fromEntries(SERVICES.map((spec) => [natsEnvName(spec.name), required(natsEnvName(spec.name))])),
      volumes: [`./nats.conf:${COMPOSE_NATS_CONFIG}:ro`, 'nats-data:/data'],
      healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:8222/healthz?js-enabled-only=true'], interval: '5s', timeout: '3s', retries: 10 },
      restart: 'unless-stopped',
    },
    postgres: {
      image: INFRA_IMAGES.postgres,
      environment: { POSTGRES_DB: 'spine', POSTGRES_USER: 'spine', POSTGRES_PASSWORD: required('POSTGRES_PASSWORD') },
      volumes: ['pg-data:/var/lib/postgresql/data'],
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'spine', '-d', 'spine'], interval: '5s', timeout: '3s', retries: 10 },
      restart: 'unless-stopped',
    },
    qdrant: {
      image: INFRA_IMAGES.qdrant,
      environment: { QDRANT__SERVICE__API_KEY: required('QDRANT_API_KEY') },
      volumes: ['qdrant-data:/qdrant/storage'],
      // The image ships neither curl nor wget: bash opens the port.
      healthcheck: { test: ['CMD', 'bash', '-c', ':> /dev/tcp/127.0.0.1/6333'], interval: '5s', timeout: '3s', retries: 10 },
      restart: 'unless-stopped',
    },
  };
  for (const spec of SERVICES.filter((s) => s.database)) services[`migrate-${spec.name}`] = migrateService(spec);
  for (const spec of SERVICES) services[spec.name] = spineService(spec);
  const compose = { name: 'spine', services, volumes: { 'nats-data': {}, 'pg-data': {}, 'qdrant-data': {} } };
  return (
    GENERATED_HEADER +
    '# The whole mesh for people with Docker: `docker compose -f deploy/compose/docker-compose.yml up --build`.\n' +
    toYaml(compose)
  );
}
