import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chartDir, type HelmRenderOptions } from './render.js';

/** Value files under the chart's ci/ folder, each rendered and checked like an overlay. */
export const HELM_VALUE_SETS = ['default', 'prod', 'no-monitoring', 'gateway', 'extras'] as const;
export const valuesFile = (set: string) => join(chartDir, 'ci', `${set}-values.yaml`);

/** One rendering `deploy:check` validates: value files and the cluster it renders for. */
export interface ValueSet extends HelmRenderOptions {
  name: string;
  files: string[];
}

/** Every ci/ value set on Kubernetes 1.30 with the Prometheus operator, plus the default without it and prod on 1.35. */
export const VALUE_MATRIX: readonly ValueSet[] = [
  ...HELM_VALUE_SETS.map((set) => ({ name: set, files: [valuesFile(set)] })),
  { name: 'default, no Prometheus operator', files: [valuesFile('default')], apiVersions: [] },
  { name: 'prod, Kubernetes 1.35', files: [valuesFile('prod')], kubeVersion: '1.35.0' },
];

interface Values {
  image?: { repository?: string; tag?: string; digest?: string };
}

/** The image the chart renders for these value files: repository[:tag][@digest], the tag defaulting to appVersion. */
export function helmImage(valueFiles: string[]): string {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { appVersion: string };
  let repository = '';
  let tag = '';
  let digest = '';
  for (const file of [join(chartDir, 'values.yaml'), ...valueFiles]) {
    const values = (parse(readFileSync(file, 'utf8')) ?? {}) as Values;
    repository = values.image?.repository ?? repository;
    tag = values.image?.tag ?? tag;
    digest = values.image?.digest ?? digest;
  }
  const tagged = tag ? `${repository}:${tag}` : digest ? repository : `${repository}:${chart.appVersion}`;
  return digest ? `${tagged}@${digest}` : tagged;
}
