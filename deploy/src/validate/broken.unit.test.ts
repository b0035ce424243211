// A broken manifest must fail: each case breaks a rendered install one way and names the check that catches it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { kustomize, overlayDir, parseObjects, type K8sObject } from '../render/render.js';
import { deployDir, ensureTools } from '../render/tools.js';
import { checkRendered, overlayImage, type CheckName, type CheckResult } from './check.js';

let pristine = '';
const image = () => overlayImage('prod');

beforeAll(() => {
  ensureTools();
  pristine = kustomize(overlayDir('prod'));
}, 120_000);

type Mutation = (objects: K8sObject[]) => void;
type Node = Record<string, unknown>;

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
}

/** The object at a dotted path (array indexes as numbers), for tests that break one field. */
function dig(root: unknown, path: string): Node {
  let node = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') throw new Error(`no ${path}`);
    node = (node as Node)[key];
  }
  if (node === null || typeof node !== 'object') throw new Error(`${path} is not an object`);
  return node as Node;
}

const container = (objects: K8sObject[], name: string) => dig(find(objects, 'Deployment', `spine-${name}`), 'spec.template.spec.containers.0');

function checkMutated(mutate: Mutation, check: CheckName): CheckResult {
  const objects = parseObjects(pristine, 'prod');
  mutate(objects);
  return checkRendered(objects.map((o) => `---\n${stringify(o)}`).join(''), 'mutated', image(), [check]);
}

describe('a broken manifest fails validation', () => {
  it('the pristine prod overlay passes every check (the baseline of the cases below)', () => {
    const result = checkRendered(pristine, 'prod', image());
    expect(Object.values(result.problems).flat()).toEqual([]);
  });

  it.each<[string, CheckName, RegExp, Mutation]>([
    ['a string where the schema wants an integer', 'schema', /HorizontalPodAutoscaler\/spine-intake: .*minReplicas must be integer/, (o) => {
      dig(find(o, 'HorizontalPodAutoscaler', 'spine-intake'), 'spec')['minReplicas'] = 'two';
    }],
    ['a missing required field', 'schema', /Deployment\/spine-router: .*containers\/0 must have required property name/, (o) => {
      delete container(o, 'router')['name'];
    }],
    ['a kind no schema knows', 'schema', /no schema for apps\/v1 Deploymnet/, (o) => {
      find(o, 'Deployment', 'spine-planner').kind = 'Deploymnet';
    }],
    ['a misspelled field (livenesProbe)', 'fields', /Deployment\/spine-streamer: .*livenesProbe/, (o) => {
      const c = container(o, 'streamer');
      c['livenesProbe'] = c['livenessProbe'];
      delete c['livenessProbe'];
    }],
    ['a missing liveness probe', 'workloads', /spine-streamer container streamer: livenessProbe is not an HTTP GET on \/health\/live/, (o) => {
      delete container(o, 'streamer')['livenessProbe'];
    }],
    ['a readiness probe on the wrong path', 'workloads', /readinessProbe is not an HTTP GET on \/health\/ready/, (o) => {
      dig(container(o, 'intake'), 'readinessProbe.httpGet')['path'] = '/health';
    }],
    ['no memory limit', 'workloads', /spine-retrieval container retrieval: no memory in resources.limits/, (o) => {
      delete dig(container(o, 'retrieval'), 'resources.limits')['memory'];
    }],
    ['a root container', 'workloads', /spine-registry container registry: not runAsNonRoot/, (o) => {
      dig(container(o, 'registry'), 'securityContext')['runAsUser'] = 0;
    }],
    ['a Deployment without its PDB', 'companions', /Deployment\/spine-event-logger: no PodDisruptionBudget/, (o) => {
      o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'spine-event-logger')), 1);
    }],
    ['a literal password in env', 'secrets', /DATABASE_URL has a literal value/, (o) => {
      const env = container(o, 'orchestrator')['env'] as Node[];
      const index = env.findIndex((e) => e['name'] === 'DATABASE_URL');
      env[index] = { name: 'DATABASE_URL', value: 'postgresql://spine:hunter2@pg:5432/spine' };
    }],
    ['a Secret object in the output', 'secrets', /Secret\/spine-llm: a Secret in the output/, (o) => {
      o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'spine-llm' }, stringData: { 'openai-api-key': 'sk-123' } });
    }],
    ['an image tag set outside the overlay', 'images', /spine-tool-executor container tool-executor: image registry.example.com\/spine\/spine:latest/, (o) => {
      container(o, 'tool-executor')['image'] = 'registry.example.com/spine/spine:latest';
    }],
    ['an agent reachable from any pod of the namespace', 'network', /agent planner reachable from/, (o) => {
      (dig(find(o, 'NetworkPolicy', 'spine-planner'), 'spec')['ingress'] as Node[]).push({ from: [{ podSelector: {} }] });
    }],
    ['the default-deny policy removed', 'network', /no default-deny NetworkPolicy/, (o) => {
      o.splice(o.indexOf(find(o, 'NetworkPolicy', 'spine-default-deny')), 1);
    }],
    ['a ConfigMap reference that does not resolve', 'references', /ConfigMap spine-common is not in the output/, (o) => {
      dig(container(o, 'router'), 'envFrom.0.configMapRef')['name'] = 'spine-common';
    }],
    ['a Service targetPort no container has', 'ports', /Service\/spine-router: spec.ports http targetPort htp is no container port/, (o) => {
      ((dig(find(o, 'Service', 'spine-router'), 'spec')['ports'] as Node[])[0] as Node)['targetPort'] = 'htp';
    }],
    ['a ServiceMonitor scraping a port name the Service lacks', 'ports', /ServiceMonitor\/spine-intake: endpoint port metrics is no port name/, (o) => {
      dig(find(o, 'ServiceMonitor', 'spine-intake'), 'spec.endpoints.0')['port'] = 'metrics';
    }],
    ['a NetworkPolicy opening a port name no container has', 'ports', /NetworkPolicy\/spine-orchestrator: ingress port grcp is no container port name/, (o) => {
      dig(find(o, 'NetworkPolicy', 'spine-orchestrator'), 'spec.ingress.0.ports.1')['port'] = 'grcp';
    }],
    ['a Deployment selector its template does not match', 'selectors', /Deployment\/spine-planner: spec.selector does not match spec.template.metadata.labels/, (o) => {
      dig(find(o, 'Deployment', 'spine-planner'), 'spec.selector.matchLabels')['app.kubernetes.io/instance'] = 'other';
    }],
    ['a secretKeyRef to a Secret the README does not list', 'secretRefs', /DATABASE_URL reads Secret spine-database-registry, which deploy\/README.md does not list/, (o) => {
      const env = container(o, 'registry')['env'] as Node[];
      dig(env.find((e) => e['name'] === 'DATABASE_URL'), 'valueFrom.secretKeyRef')['name'] = 'spine-database-registry';
    }],
    ['a secretKeyRef to a key the README does not list', 'secretRefs', /reads key url of Secret spine-db-registry; deploy\/README.md lists uri/, (o) => {
      const env = container(o, 'registry')['env'] as Node[];
      dig(env.find((e) => e['name'] === 'DATABASE_URL'), 'valueFrom.secretKeyRef')['key'] = 'url';
    }],
  ])('%s → %s', (_case, check, message, mutate) => {
    const result = checkMutated(mutate, check);
    expect(result.problems[check].join('\n')).toMatch(message);
  });

  it('YAML that does not parse', () => {
    const text = pristine.replace('kind: Deployment', 'kind: [Deployment');
    expect(() => parseObjects(text, 'broken')).toThrow(/broken: document \d+/);
    expect(checkRendered(text, 'broken', image(), ['yaml']).problems.yaml.join('\n')).toMatch(/broken: document \d+/);
  });

  it('YAML that parses but breaks yamllint (duplicate key)', () => {
    const text = pristine.replace(/^kind: Namespace$/m, 'kind: Namespace\nkind: Namespace');
    expect(checkRendered(text, 'dup', image(), ['yaml']).problems.yaml.join('\n')).toMatch(/duplication of key "kind"/);
  });

  it('an overlay whose patch targets a path that does not exist fails to render', () => {
    const dir = mkdtempSync(join(deployDir, '.tools', 'overlay-'));
    try {
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        ['resources:', '  - ../../k8s/base', 'patches:', '  - target: {kind: Deployment}', '    patch: |-', '      - op: replace', '        path: /spec/template/spec/containerz/0/image', '        value: x', ''].join('\n'),
      );
      expect(() => kustomize(dir)).toThrow(/kubectl kustomize .* failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
