// The chart's values against values.schema.json (ajv, as Helm does it), and one value set rendered and checked with
// every rule, Secret names from the values accepted beside the README's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { helmImage, type ValueSet } from '../render/helm.js';
import { chartDir, helmTemplate, parseObjects, type K8sObject } from '../render/render.js';
import { allProblems, checkRendered, type CheckResult } from './check.js';
import { collisionProblems } from './semantic.js';

type Values = Record<string, unknown>;

const isObject = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Helm's merge of value files: maps merge key by key, anything else replaces. */
export function mergeValues(...layers: Values[]): Values {
  const out: Values = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) out[k] = isObject(v) && isObject(out[k]) ? mergeValues(out[k], v) : v;
  }
  return out;
}

export const readValues = (file: string) => (parse(readFileSync(file, 'utf8')) ?? {}) as Values;

/** The values Helm would use for these files (chart defaults first). */
export const effectiveValues = (files: readonly string[]) => mergeValues(readValues(join(chartDir, 'values.yaml')), ...files.map(readValues));

const validateValues = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as object);

/** values.schema.json problems, each naming the value's path (`services.router.replicas.min: must be >= 1`). */
export function valuesSchemaProblems(values: Values): string[] {
  if (validateValues(values)) return [];
  return (validateValues.errors ?? []).map((e) => {
    const path = e.instancePath.slice(1).replace(/\//g, '.') || '(top level)';
    const extra = e.params && 'additionalProperty' in e.params ? ` ${String(e.params['additionalProperty'])}` : '';
    return `values ${path}: ${e.message ?? 'invalid'}${extra}`;
  });
}

/** Helm's fullname for a release (templates/_helpers.tpl `spine.fullname`). */
export function fullnameOf(release: string, values: Values): string {
  if (typeof values['fullnameOverride'] === 'string' && values['fullnameOverride']) return values['fullnameOverride'];
  const name = (typeof values['nameOverride'] === 'string' && values['nameOverride']) || 'spine';
  return (release.includes(name) ? release : `${release}-${name}`).slice(0, 40).replace(/-+$/, '');
}

/** Secret names the values set explicitly (existing-secret overrides): accepted by the secretRefs check. */
function secretsNamedByValues(values: Values): string[] {
  const secrets = (values['secrets'] ?? {}) as Record<string, unknown>;
  return Object.values(secrets).flatMap((s) => (isObject(s) && typeof s['name'] === 'string' && s['name'] ? [s['name']] : []));
}

export interface ValueSetResult {
  /** Every problem, prefixed with the check that found it. */
  problems: string[];
  objects: K8sObject[];
  result?: CheckResult;
}

/** Schema first (a render with invalid values means nothing), then the render, then every check. */
export function checkValueSet(set: ValueSet, release = set.release ?? 'spine'): ValueSetResult {
  const values = effectiveValues(set.files);
  const schema = valuesSchemaProblems(values);
  if (schema.length > 0) return { problems: schema.map((p) => `[values] ${p}`), objects: [] };
  let text: string;
  try {
    text = helmTemplate(set.files, { ...set, release });
  } catch (err) {
    return { problems: [`[render] ${(err as Error).message.split('\n').slice(0, 6).join(' ')}`], objects: [] };
  }
  const result = checkRendered(text, `helm/${set.name}`, helmImage(set.files), undefined, { fullname: fullnameOf(release, values), allowedSecrets: secretsNamedByValues(values) });
  return { problems: allProblems(result), objects: result.objects, result };
}

/** Two releases of the same value set in one namespace: nothing shared (names, selectors, NATS users). */
export function checkTwoReleases(set: ValueSet, releases: readonly [string, string] = ['spine', 'spine-dev']): string[] {
  const [a, b] = releases.map((release) => ({ release, objects: parseObjects(helmTemplate(set.files, { ...set, release, namespace: 'spine' }), release) }));
  if (!a || !b) return [];
  return collisionProblems(a, b).map((p) => `[collisions] ${p}`);
}
