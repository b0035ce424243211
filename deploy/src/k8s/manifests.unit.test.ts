import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { OVERLAYS, kustomize, overlayDir, type K8sObject } from '../render/render.js';
import { deployDir, ensureTools } from '../render/tools.js';
import { SERVICES } from '../services.js';
import { checkRendered, overlayImage, type CheckResult } from '../validate/check.js';
import { yamllintDeployTree } from '../validate/yamllint.js';

const rendered = new Map<string, CheckResult>();
const objectsOf = <T>(overlay: string, kind: string) => (rendered.get(overlay)?.objects ?? []).filter((o) => o.kind === kind) as unknown as (T & K8sObject)[];

beforeAll(() => {
  ensureTools();
  for (const overlay of OVERLAYS) rendered.set(overlay, checkRendered(kustomize(overlayDir(overlay)), `overlays/${overlay}`, overlayImage(overlay)));
}, 120_000);

it('yamllint passes on every YAML file under deploy/', () => {
  expect(yamllintDeployTree()).toEqual([]);
});

describe.each(OVERLAYS)('overlays/%s rendered by kubectl kustomize', (overlay) => {
  const problems = (check: keyof CheckResult['problems']) => rendered.get(overlay)?.problems[check];

  it('renders objects for every service', () => {
    expect(rendered.get(overlay)?.objects.length).toBeGreaterThan(SERVICES.length * 7);
  });
  it('passes yamllint', () => expect(problems('yaml')).toEqual([]));
  it('validates against the Kubernetes schemas', () => expect(problems('schema')).toEqual([]));
  it('uses no field the Kubernetes API lacks', () => expect(problems('fields')).toEqual([]));
  it('gives every container probes on /health/live and /health/ready, requests and limits, non-root', () => expect(problems('workloads')).toEqual([]));
  it('gives every Deployment a PDB, an HPA, a Service and a ServiceMonitor', () => expect(problems('companions')).toEqual([]));
  it('holds no literal secret and no Secret object', () => expect(problems('secrets')).toEqual([]));
  it('runs one image everywhere, the tag set once in the overlay', () => expect(problems('images')).toEqual([]));
  it('references only ConfigMaps it renders', () => expect(problems('references')).toEqual([]));
  it('denies by default; agents only from NATS; the orchestrator only from the ingress controller', () => expect(problems('network')).toEqual([]));

  it('reads secrets through secretKeyRef from the existing secrets the README lists', () => {
    const refs = objectsOf<IDeployment>(overlay, 'Deployment').flatMap((d) => d.spec?.template.spec?.containers.flatMap((c) => (c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef)) ?? []);
    const names = new Set(refs.map((e) => e.valueFrom?.secretKeyRef?.name));
    expect([...names].sort()).toEqual(
      [
        ...SERVICES.map((s) => `spine-nats-${s.name}`), ...SERVICES.filter((s) => s.database).map((s) => `spine-db-${s.name}`),
        'spine-qdrant', 'spine-llm', 'spine-agent-secret-key', 'spine-registry-operator',
      ].sort(),
    );
  });

  it('gives the orchestrator and its migration AGENT_SECRET_KEY (the image runs with NODE_ENV=production)', () => {
    const keyOf = (c: { env?: { name: string; valueFrom?: { secretKeyRef?: { name?: string; optional?: boolean } } }[] } | undefined) =>
      c?.env?.find((e) => e.name === 'AGENT_SECRET_KEY')?.valueFrom?.secretKeyRef;
    const orchestrator = objectsOf<IDeployment>(overlay, 'Deployment').find((d) => d.metadata?.name === 'spine-orchestrator');
    expect(keyOf(orchestrator?.spec?.template.spec?.containers[0])).toEqual({ name: 'spine-agent-secret-key', key: 'key' });
    const job = objectsOf<{ metadata?: { name?: string }; spec?: { template: { spec?: { initContainers?: never[]; containers: never[] } } } }>(overlay, 'Job')[0];
    const migrate = [...(job?.spec?.template.spec?.initContainers ?? []), ...(job?.spec?.template.spec?.containers ?? [])].find((c: { name: string }) => c.name === 'migrate-orchestrator');
    expect(keyOf(migrate)).toEqual({ name: 'spine-agent-secret-key', key: 'key' });
  });

  it('sets AGENT_INSTANCE_ID from the pod name', () => {
    for (const d of objectsOf<IDeployment>(overlay, 'Deployment')) {
      const env = d.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'AGENT_INSTANCE_ID');
      expect(env?.valueFrom?.fieldRef?.fieldPath, d.metadata.name).toBe('metadata.name');
    }
  });

  it('runs each schema owner’s migrate.js in one Job, in list order, before the apps (hook)', () => {
    const [job] = objectsOf<IJob>(overlay, 'Job');
    const spec = job?.spec?.template.spec;
    const steps = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
    expect(steps.map((c) => [c.args, c.env?.find((e) => e.name === 'SERVICE')?.value])).toEqual(SERVICES.filter((s) => s.database).map((s) => [['migrate'], s.name]));
    expect(job?.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
  });

  it('serves the orchestrator through an Ingress for REST/SSE (buffering off) and one for gRPC', () => {
    const ingresses = objectsOf<IIngress>(overlay, 'Ingress');
    const api = ingresses.find((i) => i.metadata.name === 'spine-api');
    const grpc = ingresses.find((i) => i.metadata.name === 'spine-grpc');
    expect(api?.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    expect(grpc?.metadata.annotations?.['nginx.ingress.kubernetes.io/backend-protocol']).toBe('GRPC');
    for (const ingress of [api, grpc]) {
      expect(ingress?.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.name).toBe('spine-orchestrator');
      expect(ingress?.spec?.tls?.[0]?.hosts).toEqual([ingress?.spec?.rules?.[0]?.host]);
    }
  });

  it('lets the orchestrator and registry reach Postgres, and only the schema owners', () => {
    const toPostgres = objectsOf<INetworkPolicy>(overlay, 'NetworkPolicy')
      .filter((p) => p.spec?.egress?.some((r) => r.ports?.some((port) => port.port === 5432)))
      .map((p) => p.metadata.name)
      .sort();
    expect(toPostgres).toEqual([...SERVICES.filter((s) => s.database).map((s) => `spine-${s.name}`), 'spine-migrate'].sort());
  });
});

describe('overlays differ where they should', () => {
  it('dev runs 1..2 replicas, prod the list’s min..max', () => {
    const replicas = (overlay: string) => objectsOf<IHorizontalPodAutoscaler>(overlay, 'HorizontalPodAutoscaler').map((h) => [h.metadata.name, h.spec?.minReplicas, h.spec?.maxReplicas]);
    expect(replicas('dev').every(([, min, max]) => min === 1 && max === 2)).toBe(true);
    expect(replicas('prod')).toEqual(expect.arrayContaining(SERVICES.map((s) => [`spine-${s.name}`, s.replicas.min, s.replicas.max])));
  });

  it('sets the image tag only in each overlay’s kustomization (the base has none)', () => {
    const base = readFileSync(join(deployDir, 'k8s/base/orchestrator.yaml'), 'utf8');
    expect(base).toMatch(/image: spine\n/);
    expect(base).not.toMatch(/image: spine:/);
    expect(overlayImage('prod')).toBe('registry.example.com/spine/spine:0.1.0');
    const kustomization = parse(readFileSync(join(overlayDir('prod'), 'kustomization.yaml'), 'utf8')) as { images: unknown[] };
    expect(kustomization.images).toHaveLength(1);
  });
});
