import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chartDir } from './render.js';

/** Value files under the chart's ci/ folder, each rendered and checked like an overlay. */
export const HELM_VALUE_SETS = ['default', 'prod'] as const;
export const valuesFile = (set: string) => join(chartDir, 'ci', `${set}-values.yaml`);

interface Values {
  image?: { repository?: string; tag?: string };
}

/** The image the chart renders for these value files: repository:tag, the tag defaulting to appVersion. */
export function helmImage(valueFiles: string[]): string {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { appVersion: string };
  let repository = '';
  let tag = '';
  for (const file of [join(chartDir, 'values.yaml'), ...valueFiles]) {
    const values = (parse(readFileSync(file, 'utf8')) ?? {}) as Values;
    repository = values.image?.repository ?? repository;
    tag = values.image?.tag ?? tag;
  }
  return repository.includes('@') ? repository : `${repository}:${tag || chart.appVersion}`;
}
