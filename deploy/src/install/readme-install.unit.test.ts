// Done when: a test walks deploy/README.md's install steps against rendered output and finds every referenced Secret,
// namespace label and ordering dependency satisfied. Each broken README below must fail for the reason it names.
import { beforeAll, describe, expect, it } from 'vitest';
import { valuesFile } from '../render/helm.js';
import { ensureTools } from '../render/tools.js';
import { INSTALL_PATHS, InstallReplay, README, installScript, recordCommands, type InstallPath } from './readme-install.js';

// `my-values.yaml` is the reader's: the production-like value set stands in for it.
const replay = (readme: string, path: InstallPath) => new InstallReplay({ 'my-values.yaml': valuesFile('prod') }).replay(recordCommands(installScript(readme, path)));

beforeAll(() => ensureTools(), 120_000);

describe.each(INSTALL_PATHS)('deploy/README.md, %s install from an empty cluster', (path) => {
  let result: InstallReplay;
  beforeAll(() => {
    result = replay(README(), path);
  }, 120_000);

  it('finds every Secret and key, namespace and namespace label in place before the step that needs it', () => {
    expect(result.problems).toEqual([]);
  });

  it('walks the whole install (the dependencies, then Spine), so the check above covers it', () => {
    expect(result.done).toEqual(expect.arrayContaining(['helm:nats', 'apply:deploy/k8s/dependencies/postgres-cnpg.yaml', 'helm:qdrant']));
    if (path === 'helm') expect(result.done).toEqual(expect.arrayContaining(['helm:spine', 'test:spine']));
    else expect(result.done).toEqual(expect.arrayContaining(['kustomize-migrations:job/spine-migrate', 'wait:job/spine-migrate', 'kustomize-all']));
  });

  it('creates the Spine namespace with Pod Security restricted, and every per-service Secret (event-logger too)', () => {
    expect(result.namespaces.get('spine')?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const name of ['spine-db-event-logger', 'spine-nats-event-logger', 'spine-agent-secret-key']) expect(result.secrets.has(`spine/${name}`), name).toBe(true);
  });
});

describe('a broken README fails the walk', () => {
  const readme = README();

  it('a database Secret missing for one service (event-logger): its migration step and Deployment name it', () => {
    const broken = readme.replace('for s in orchestrator registry tool-executor event-logger; do', 'for s in orchestrator registry tool-executor; do');
    expect(broken).not.toBe(readme);
    expect(replay(broken, 'helm').problems.join('\n')).toMatch(/Job\/spine-migrate reads Secret spine\/spine-db-event-logger, not created/);
  });

  it('helm --create-namespace instead of the labelled namespace: Pod Security labels are missing', () => {
    const broken = readme
      .replace('kubectl create namespace $ns\nkubectl label namespace $ns pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/warn=restricted\n', '')
      .replace(/kubectl -n \$ns create secret[^\n]*\n/g, '')
      .replace(/for n in \$ns nats; do/, 'for n in nats; do')
      .replace(/for n in \$ns qdrant; do/, 'for n in qdrant; do')
      .replace('helm upgrade --install $release deploy/helm/spine -n $ns', 'helm upgrade --install $release deploy/helm/spine -n $ns --create-namespace');
    expect(replay(broken, 'helm').problems.join('\n')).toMatch(/namespace spine lacks the label pod-security.kubernetes.io\/enforce=restricted/);
  });

  it('secrets created before their namespace', () => {
    const steps = readme.indexOf('```sh install=helm\nns=spine\nfor n in nats');
    const block = readme.slice(steps, readme.indexOf('```\n', steps + 10) + 4);
    const broken = readme.replace(block, '').replace('**3. Dependencies**', `${block}\n**3. Dependencies**`);
    expect(replay(broken, 'helm').problems.join('\n')).toMatch(/namespace (spine|nats|postgres|qdrant) does not exist yet/);
  });

  it('the Kustomize apps applied without the migrations Job first', () => {
    const broken = readme.replace(/kubectl apply -k deploy\/k8s\/overlays\/prod -l app.kubernetes.io\/component=migrations\nkubectl -n spine wait[^\n]*\n/, '');
    expect(broken).not.toBe(readme);
    expect(replay(broken, 'kustomize').problems.join('\n')).toMatch(/the apps are applied before the migrations Job completed/);
  });

  it('the agent secret key never created: the orchestrator and its migration name it', () => {
    const broken = readme.replace(/kubectl -n \$ns create secret generic \$release-agent-secret-key[^\n]*\n/, '');
    expect(replay(broken, 'kustomize').problems.join('\n')).toMatch(/reads Secret spine\/spine-agent-secret-key, not created/);
  });
});
