import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INGRESS_CONTROLLER, NATS, PROMETHEUS } from '../k8s/cluster.js';
import { peer } from '../k8s/network.js';
import { overlayDir, parseObjects, type K8sObject } from '../render/render.js';
import { unknownFieldProblems } from './fields.js';
import { companionProblems, imageProblems, networkProblems, referenceProblems, secretProblems, workloadProblems } from './policy.js';
import { documentedSecrets } from './readme-secrets.js';
import { schemaProblems } from './schema.js';
import { autoscalerProblems, heapProblems, portProblems, resourceProblems, secretRefProblems, selectorProblems } from './semantic.js';
import { yamllintText } from './yamllint.js';

export const defaultPeers = { nats: peer(NATS), prometheus: peer(PROMETHEUS), ingressController: peer(INGRESS_CONTROLLER) };

export const CHECKS = ['yaml', 'schema', 'fields', 'workloads', 'companions', 'secrets', 'images', 'references', 'network', 'autoscaling', 'resources', 'heap', 'ports', 'selectors', 'secretRefs'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckResult {
  objects: K8sObject[];
  /** Grouped by check; empty arrays when the output is sound (or the check was not asked for). */
  problems: Record<CheckName, string[]>;
}

export interface CheckOptions {
  /** The install's name prefix (Helm fullname; `spine` for the Kustomize base): documented Secret names start with it. */
  fullname?: string;
  /** Secret names the values chose (existing-secret overrides), accepted beside the documented ones. */
  allowedSecrets?: readonly string[];
}

/**
 * Everything a rendered install must pass: YAML, Kubernetes schemas, unknown fields, yamllint, and the Spine rules.
 * `only` runs a subset (tests that break one thing); YAML parsing always runs.
 */
export function checkRendered(text: string, source: string, expectedImage: string, only: readonly CheckName[] = CHECKS, options: CheckOptions = {}): CheckResult {
  const yaml = only.includes('yaml') ? yamllintText(text, source) : [];
  let objects: K8sObject[];
  try {
    objects = parseObjects(text, source);
  } catch (err) {
    // Nothing else can be checked; the YAML problem alone fails the install.
    objects = [];
    yaml.push((err as Error).message);
  }
  const format = (p: { object: string; message: string }) => `${p.object}: ${p.message}`;
  const checks: Record<Exclude<CheckName, 'yaml'>, () => string[]> = {
    schema: () => schemaProblems(objects).map(format),
    fields: () => unknownFieldProblems(objects).map(format),
    workloads: () => workloadProblems(objects),
    companions: () => companionProblems(objects),
    secrets: () => secretProblems(objects),
    images: () => imageProblems(objects, expectedImage),
    references: () => referenceProblems(objects),
    network: () => networkProblems(objects, defaultPeers),
    autoscaling: () => autoscalerProblems(objects),
    resources: () => resourceProblems(objects),
    heap: () => heapProblems(objects),
    ports: () => portProblems(objects),
    selectors: () => selectorProblems(objects),
    secretRefs: () => secretRefProblems(objects, documentedSecrets(), options.fullname ?? 'spine', options.allowedSecrets),
  };
  const run = (name: Exclude<CheckName, 'yaml'>) => (only.includes(name) ? checks[name]() : []);
  return {
    objects,
    problems: {
      yaml,
      schema: run('schema'),
      fields: run('fields'),
      workloads: run('workloads'),
      companions: run('companions'),
      secrets: run('secrets'),
      images: run('images'),
      references: run('references'),
      network: run('network'),
      autoscaling: run('autoscaling'),
      resources: run('resources'),
      heap: run('heap'),
      ports: run('ports'),
      selectors: run('selectors'),
      secretRefs: run('secretRefs'),
    },
  };
}

export function allProblems(result: CheckResult): string[] {
  return Object.entries(result.problems).flatMap(([check, list]) => list.map((p) => `[${check}] ${p}`));
}

/** The image an overlay sets, from its kustomization's one `images` entry. */
export function overlayImage(overlay: string): string {
  const kustomization = parse(readFileSync(join(overlayDir(overlay), 'kustomization.yaml'), 'utf8')) as { images?: { name: string; newName?: string; newTag?: string }[] };
  const images = kustomization.images ?? [];
  const [entry] = images;
  if (images.length !== 1 || !entry || entry.name !== 'spine' || !entry.newName || !entry.newTag) {
    throw new Error(`overlays/${overlay}: expected exactly one images entry for "spine" with newName and newTag`);
  }
  return `${entry.newName}:${entry.newTag}`;
}
