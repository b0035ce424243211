import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { SERVICES } from '../services.js';
import { CHECKS, type CheckResult } from '../validate/check.js';
import { checkValueSet } from '../validate/values.js';
import { HELM_VALUE_SETS, helmImage, valuesFile } from './helm.js';
import { chartDir, helmTemplate, kustomize, parseObjects, type K8sObject } from './render.js';
import { deployDir, ensureTools, helmBin, run } from './tools.js';

const rendered = new Map<string, CheckResult>();

beforeAll(() => {
  ensureTools();
  for (const set of HELM_VALUE_SETS) {
    // As deploy:check renders it: Secret names the values choose (extras) are accepted beside the README's.
    const { result } = checkValueSet({ name: set, files: [valuesFile(set)] });
    if (result) rendered.set(set, result);
  }
}, 120_000);

function withValues<T>(values: string, use: (file: string) => T): T {
  const dir = mkdtempSync(join(deployDir, '.tools', 'values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, values);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ofKind = <T>(objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as unknown as (T & K8sObject)[];

it('passes helm lint --strict', () => {
  expect(run(helmBin, ['lint', '--strict', chartDir])).toMatch(/0 chart\(s\) failed/);
});

describe.each(HELM_VALUE_SETS)('deploy/helm/spine with ci/%s-values.yaml', (set) => {
  it.each(CHECKS)('passes the %s checks', (check) => {
    expect(rendered.get(set)?.problems[check]).toEqual([]);
  });

  it('runs migrations as a pre-install/pre-upgrade hook, its account, role and policy created first', () => {
    const hooks = (rendered.get(set)?.objects ?? []).filter((o) => o.metadata.annotations?.['helm.sh/hook']?.startsWith('pre-install'));
    const summary = hooks.map((o) => [o.kind, o.metadata.annotations?.['helm.sh/hook'], Number(o.metadata.annotations?.['helm.sh/hook-weight'])]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['ServiceAccount', 'pre-install,pre-upgrade', -10],
        ['Role', 'pre-install,pre-upgrade', -10],
        ['RoleBinding', 'pre-install,pre-upgrade', -10],
        ['NetworkPolicy', 'pre-install,pre-upgrade', -10],
        ['Job', 'pre-install,pre-upgrade', 0],
      ]),
    );
    expect(summary).toHaveLength(5);
  });
});

describe('values', () => {
  it('set the image tag in one place: every container follows image.tag', () => {
    const objects = withValues('image: {tag: 9.9.9}\n', (file) => parseObjects(helmTemplate([file]), 'tag'));
    const images = new Set(objects.flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []));
    expect([...images]).toEqual(['"image":"registry.example.com/spine/spine:9.9.9"']);
  });

  it('override one service (replicas, resources → heap size) and can switch one off', () => {
    const values = 'services:\n  planner: {enabled: false}\n  router:\n    replicas: {min: 4, max: 8}\n    resources: {limits: {memory: 2Gi}}\n';
    const objects = withValues(values, (file) => parseObjects(helmTemplate([file]), 'overrides'));
    expect(objects.filter((o) => o.metadata.name === 'spine-planner')).toEqual([]);
    const hpa = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === 'spine-router');
    expect([hpa?.spec?.minReplicas, hpa?.spec?.maxReplicas]).toEqual([4, 8]);
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'spine-router') as K8sObject & { data: Record<string, string> };
    expect(config.data['NODE_OPTIONS']).toBe('--max-old-space-size=1536');
  });
});

/** What a chart and a Kustomize base may differ in without meaning anything different. */
function normalize(objects: K8sObject[]): Record<string, unknown>[] {
  const hashed = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.metadata.name.replace(/-[a-z0-9]{10}$/, '')]));
  const dropLabels = ['app.kubernetes.io/managed-by', 'helm.sh/chart'];
  const json = JSON.stringify(objects, (key, value: unknown) => {
    if (typeof value === 'string' && hashed.has(value)) return hashed.get(value);
    if ((key === 'labels' || key === 'annotations') && value && typeof value === 'object') {
      const kept = Object.entries(value).filter(([k]) => !dropLabels.includes(k) && !/^(helm\.sh\/hook|argocd\.argoproj\.io\/|checksum\/)/.test(k));
      return kept.length > 0 ? Object.fromEntries(kept) : undefined;
    }
    return value;
  });
  // `helm test` hooks have no Kustomize counterpart.
  const parsed = (JSON.parse(json) as (K8sObject & Record<string, unknown>)[]).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] !== 'test');
  return parsed.sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
}

it('renders the same objects as the Kustomize base (one list, two packagings)', () => {
  const dir = mkdtempSync(join(deployDir, '.tools', 'base-'));
  try {
    const image = helmImage([valuesFile('default')]);
    const [name, tag] = [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)];
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ../../k8s/base\nimages:\n  - {name: spine, newName: ${name}, newTag: ${tag}}\n`);
    const base = normalize(parseObjects(kustomize(dir), 'base'));
    const chart = normalize(parseObjects(helmTemplate([valuesFile('default')]), 'chart'));
    expect(chart.map((o) => `${String(o['kind'])}/${String((o['metadata'] as { name: string }).name)}`)).toEqual(base.map((o) => `${String(o['kind'])}/${String((o['metadata'] as { name: string }).name)}`));
    expect(chart).toEqual(base);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('covers every service of the list', () => {
  const deployments = ofKind<IDeployment>(rendered.get('default')?.objects ?? [], 'Deployment').map((d) => d.metadata.name);
  expect(deployments.sort()).toEqual(SERVICES.map((s) => `spine-${s.name}`).sort());
});
