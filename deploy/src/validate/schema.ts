import * as core from 'kubernetes-models';
import * as prometheus from '@kubernetes-models/prometheus-operator';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { K8sObject } from '../render/render.js';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

function isModel(value: unknown): value is ModelClass {
  return typeof value === 'function' && 'apiVersion' in value && 'kind' in value;
}

/** apiVersion/kind → model, for every built-in kind of the Kubernetes release kubernetes-models targets, and ServiceMonitor & co. */
function modelIndex(): Map<string, ModelClass> {
  const index = new Map<string, ModelClass>();
  // Groups hold versions hold models; the core group (`v1`) holds models directly.
  const visit = (value: unknown, depth: number): void => {
    if (isModel(value)) index.set(`${value.apiVersion}/${value.kind}`, value);
    else if (depth > 0 && value !== null && typeof value === 'object') for (const child of Object.values(value)) visit(child, depth - 1);
  };
  visit(core, 3);
  visit(prometheus, 3);
  return index;
}

const models = modelIndex();

/** Custom resources kubernetes-models lacks (Gateway API routes, CloudNativePG, barman-cloud): small schemas in crds/. */
function crdIndex(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'crds');
  const index = new Map<string, ValidateFunction>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const crd = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { apiVersion: string; kind: string; schema: object };
    index.set(`${crd.apiVersion}/${crd.kind}`, ajv.compile(crd.schema));
  }
  return index;
}

const crds = crdIndex();

/** Kinds validated by a vendored schema (which refuses unknown fields itself). */
export const hasVendoredSchema = (o: K8sObject) => crds.has(`${o.apiVersion}/${o.kind}`);

export interface SchemaProblem {
  object: string;
  message: string;
}

export const objectId = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

/** Validates each object against its kind's JSON Schema (types, required fields, enums, formats). Unknown kinds are problems too. */
export function schemaProblems(objects: readonly K8sObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const object of objects) {
    const crd = crds.get(`${object.apiVersion}/${object.kind}`);
    if (crd) {
      if (!crd(object)) for (const e of crd.errors ?? []) problems.push({ object: objectId(object), message: `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params['additionalProperty'])}` : ''}` });
      continue;
    }
    const model = models.get(`${object.apiVersion}/${object.kind}`);
    if (!model) {
      problems.push({ object: objectId(object), message: `no schema for ${object.apiVersion} ${object.kind}` });
      continue;
    }
    try {
      new model(object).validate();
    } catch (err) {
      problems.push({ object: objectId(object), message: (err as Error).message });
    }
  }
  return problems;
}
