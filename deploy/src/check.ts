// `npm run deploy:check` (CI step `deploy`): generated files fresh, yamllint over deploy/, then every
// overlay rendered with `kubectl kustomize` and the chart with `helm template`, each checked (schemas, unknown fields, yamllint, Spine rules).
import { staleFiles } from './generate.js';
import { HELM_VALUE_SETS, helmImage, valuesFile } from './render/helm.js';
import { OVERLAYS, chartDir, helmTemplate, kustomize, overlayDir } from './render/render.js';
import { ensureTools, helmBin, run } from './render/tools.js';
import { allProblems, checkRendered, overlayImage } from './validate/check.js';
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
for (const set of HELM_VALUE_SETS) {
  const files = [valuesFile(set)];
  const text = timed(`helm chart (${set} values) rendered`, () => helmTemplate(files));
  const result = timed(`helm chart (${set} values) validated`, () => checkRendered(text, `helm/${set}`, helmImage(files)));
  say(`deploy: helm chart (${set} values): ${result.objects.length} objects`);
  problems.push(...allProblems(result).map((p) => `helm/${set} ${p}`));
}
if (problems.length > 0) {
  complain(`deploy: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
say('deploy: every overlay and the chart render and pass');
