// `npm run deploy:check` (CI step `deploy`): generated files fresh, yamllint over deploy/, then every overlay rendered
// with `kubectl kustomize` and the chart with `helm template` for each value set of the matrix (values.schema.json
// first), each checked (schemas, unknown fields, yamllint, Spine rules, cross-object rules); two releases of the chart
// in one namespace share nothing; the dependency objects validate against their vendored CRD schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { staleFiles } from './generate.js';
import { VALUE_MATRIX, valuesFile } from './render/helm.js';
import { OVERLAYS, chartDir, kustomize, overlayDir, parseObjects } from './render/render.js';
import { deployDir, ensureTools, helmBin, run } from './render/tools.js';
import { allProblems, checkRendered, overlayImage } from './validate/check.js';
import { schemaProblems } from './validate/schema.js';
import { checkTwoReleases, checkValueSet } from './validate/values.js';
import { yamllintDeployTree } from './validate/yamllint.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

function timed<T>(label: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  say(`deploy: ${label} in ${Math.round(performance.now() - started)} ms`);
  return result;
}

const problems: string[] = [];
timed('tools ready', ensureTools);
problems.push(...timed('generated files compared', staleFiles).map((p) => `[generated] ${p} is stale: run npm run deploy:generate`));
problems.push(...timed('yamllint deploy/', yamllintDeployTree).map((p) => `[yamllint] ${p}`));
for (const overlay of OVERLAYS) {
  const text = timed(`overlays/${overlay} rendered`, () => kustomize(overlayDir(overlay)));
  const result = timed(`overlays/${overlay} validated`, () => checkRendered(text, `overlays/${overlay}`, overlayImage(overlay)));
  say(`deploy: overlays/${overlay}: ${result.objects.length} objects`);
  problems.push(...allProblems(result).map((p) => `overlays/${overlay} ${p}`));
}
timed('helm lint --strict', () => run(helmBin, ['lint', '--strict', chartDir]));
for (const set of VALUE_MATRIX) {
  const result = timed(`helm chart (${set.name}) rendered and validated`, () => checkValueSet(set));
  say(`deploy: helm chart (${set.name}): ${result.objects.length} objects`);
  problems.push(...result.problems.map((p) => `helm/${set.name} ${p}`));
}
problems.push(...timed('two releases in one namespace compared', () => checkTwoReleases({ name: 'default', files: [valuesFile('default')] })));
const dependencies = parseObjects(readFileSync(join(deployDir, 'k8s/dependencies/postgres-cnpg.yaml'), 'utf8'), 'postgres-cnpg.yaml');
problems.push(...schemaProblems(dependencies).map((p) => `[dependencies] ${p.object}: ${p.message}`));
if (problems.length > 0) {
  complain(`deploy: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
say('deploy: every overlay and every value set of the chart render and pass');
