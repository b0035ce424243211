// Done when: each broken value set from issue 14 makes deploy:check fail with a message naming the field; each valid
// one passes; two releases in one namespace share no name, selector or NATS user.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALUE_MATRIX, valuesFile, type ValueSet } from '../render/helm.js';
import { helmTemplate, parseObjects } from '../render/render.js';
import { deployDir, ensureTools } from '../render/tools.js';
import { checkTwoReleases, checkValueSet, effectiveValues, valuesSchemaProblems } from './values.js';

let dir = '';
let counter = 0;

beforeAll(() => {
  ensureTools();
  dir = mkdtempSync(join(deployDir, '.tools', 'value-sets-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A value set of our own on top of the production-like one. */
function valueSet(yaml: string): ValueSet {
  const file = join(dir, `values-${++counter}.yaml`);
  writeFileSync(file, yaml);
  return { name: `case ${counter}`, files: [valuesFile('prod'), file] };
}

describe('the value matrix deploy:check renders', () => {
  it.each(VALUE_MATRIX.map((set) => [set.name, set] as const))('%s passes every check', (_name, set) => {
    expect(checkValueSet(set).problems).toEqual([]);
  }, 120_000);
});

describe('broken value sets fail, naming the field', () => {
  it.each<[string, string, RegExp]>([
    ['HPA min > max', 'services:\n  router:\n    replicas: {min: 5, max: 2}\n', /\[autoscaling\] HorizontalPodAutoscaler\/spine-router: spec\.minReplicas 5 > spec\.maxReplicas 2 \(Helm: services\.router\.replicas/],
    ['CPU requests > limits', 'services:\n  planner:\n    resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}\n', /\[resources\] Deployment\/spine-planner container planner: resources\.requests\.cpu 2 > resources\.limits\.cpu 1 \(Helm: services\.planner\.resources\.requests\.cpu\)/],
    [
      'a 400M limit with a 768 MB heap',
      'services:\n  orchestrator:\n    resources: {limits: {memory: 400M}}\n    config: {NODE_OPTIONS: --max-old-space-size=768}\n',
      /\[heap\] Deployment\/spine-orchestrator container orchestrator: NODE_OPTIONS --max-old-space-size=768 \(MiB\) is over 80 % of resources\.limits\.memory 400M \(381 MiB\) \(Helm: services\.orchestrator\.resources\.limits\.memory/,
    ],
    ['grpcPort 0 with the gRPC Ingress on', 'services:\n  orchestrator:\n    grpcPort: 0\n', /\[ports\] Ingress\/spine-grpc: backend Service spine-orchestrator has no port grpc \(Helm: ingress\.grpc\.enabled needs services\.orchestrator\.grpcPort\)/],
    ['a misspelt key', 'ingres:\n  enabled: false\n', /\[values\] values \(top level\): must NOT have additional properties ingres/],
    ['a wrong type', 'services:\n  router:\n    replicas: {min: two, max: 4}\n', /\[values\] values services\.router\.replicas\.min: must be integer/],
    ['a memory limit that is no quantity', 'services:\n  router:\n    resources: {limits: {memory: 1GB}}\n', /\[values\] values services\.router\.resources\.limits\.memory/],
  ])('%s', (_case, yaml, message) => {
    expect(checkValueSet(valueSet(yaml)).problems.join('\n')).toMatch(message);
  }, 120_000);

  it('two releases made to share names (fullnameOverride): names, selectors and NATS users collide, naming the value', () => {
    const set = valueSet('fullnameOverride: spine\n');
    const problems = checkTwoReleases(set, ['spine-a', 'spine-b']).join('\n');
    expect(problems).toMatch(/\[collisions\] Deployment\/spine-orchestrator: rendered by releases spine-a and spine-b \(Helm: .*fullnameOverride/);
    expect(problems).toMatch(/NATS user spine-orchestrator: used by releases spine-a and spine-b/);
  }, 120_000);
});

describe('valid settings pass', () => {
  it.each<[string, string]>([
    ['serviceMonitor.enabled=false', 'monitoring:\n  serviceMonitor: {enabled: false}\n'],
    ['a 400M memory limit alone (the heap follows it)', 'services:\n  orchestrator:\n    resources: {limits: {memory: 400M}}\n'],
    ['grpcPort 0 with the gRPC Ingress off', 'services:\n  orchestrator:\n    grpcPort: 0\ningress:\n  grpc: {enabled: false}\n'],
    ['adminPort 0 (health and metrics on the http port)', 'adminPort: 0\n'],
    ['an existing Secret for the agent key', 'secrets:\n  agentSecretKey: {name: vault-agent-key}\n'],
  ])('%s', (_case, yaml) => {
    expect(checkValueSet(valueSet(yaml)).problems).toEqual([]);
  }, 120_000);

  it('a 400M limit gives a 286 MiB heap (¾ of 381 MiB), not the 768 a Mi/Gi-only parser left', () => {
    const objects = parseObjects(helmTemplate(valueSet('services:\n  orchestrator:\n    resources: {limits: {memory: 400M}}\n').files), 'heap');
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'spine-orchestrator') as unknown as { data: Record<string, string> };
    expect(config.data['NODE_OPTIONS']).toBe('--max-old-space-size=286');
  }, 120_000);

  it('the chart defaults validate against values.schema.json', () => {
    expect(valuesSchemaProblems(effectiveValues([]))).toEqual([]);
  });
});

describe('two releases in one namespace', () => {
  it('share no object name, selector or NATS user', () => {
    expect(checkTwoReleases({ name: 'default', files: [valuesFile('default')] }, ['spine', 'spine-dev'])).toEqual([]);
  }, 120_000);

  it('each logs in to NATS as its own users, reads its own Secrets', () => {
    const users = (release: string) =>
      parseObjects(helmTemplate([valuesFile('default')], { release }), release)
        .filter((o) => o.kind === 'ConfigMap')
        .map((o) => (o['data'] as Record<string, string>)['NATS_USER'])
        .filter(Boolean);
    expect(users('spine')).toContain('spine-orchestrator');
    expect(users('acme')).toContain('acme-spine-orchestrator');
    const secretNames = parseObjects(helmTemplate([valuesFile('default')], { release: 'spine-dev' }), 'dev').flatMap((o) => JSON.stringify(o).match(/"secretKeyRef":\{"name":"[^"]+"/g) ?? []);
    expect(secretNames.every((s) => s.includes('"spine-dev-'))).toBe(true);
  }, 120_000);
});
