import * as core from 'kubernetes-models';
import * as prometheus from '@kubernetes-models/prometheus-operator';
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

export interface SchemaProblem {
  object: string;
  message: string;
}

export const objectId = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

/** Validates each object against its kind's JSON Schema (types, required fields, enums, formats). Unknown kinds are problems too. */
export function schemaProblems(objects: readonly K8sObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const object of objects) {
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
