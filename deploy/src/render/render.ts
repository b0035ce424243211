import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { deployDir, helmBin, kubectlBin, run } from './tools.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];
export const overlayDir = (overlay: string) => join(deployDir, 'k8s', 'overlays', overlay);
export const chartDir = join(deployDir, 'helm', 'spine');

/** `kubectl kustomize` (Kustomize v5) of one directory, as YAML text. */
export function kustomize(dir: string): string {
  return run(kubectlBin, ['kustomize', dir]);
}

/** APIs the rendered cluster serves beyond the built-in ones: the Prometheus operator's, as most clusters have it. */
export const CLUSTER_API_VERSIONS = ['monitoring.coreos.com/v1/ServiceMonitor'];

export interface HelmRenderOptions {
  release?: string;
  namespace?: string;
  /** `--api-versions`: what `.Capabilities.APIVersions` reports (CRD-gated objects render only when listed). */
  apiVersions?: readonly string[];
  /** `--set` expressions, after the value files. */
  set?: readonly string[];
  /** `--kube-version`: the cluster version the chart renders for (Chart.yaml requires 1.30+). */
  kubeVersion?: string;
}

/** `helm template` of the chart with extra value files, as YAML text. */
export function helmTemplate(valueFiles: string[] = [], options: HelmRenderOptions = {}): string {
  const { release = 'spine', namespace = 'spine', apiVersions = CLUSTER_API_VERSIONS, set = [], kubeVersion = '1.30.0' } = options;
  const args = ['template', release, chartDir, '--namespace', namespace, '--kube-version', kubeVersion];
  for (const api of apiVersions) args.push('--api-versions', api);
  for (const file of valueFiles) args.push('--values', file);
  for (const expression of set) args.push('--set', expression);
  return run(helmBin, args);
}

/** Parses a multi-document YAML stream; a syntax error anywhere throws, naming the document. */
export function parseObjects(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source}: document ${index + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${source}: document ${index + 1} is not an object`);
    const object = value as Partial<K8sObject>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
      throw new Error(`${source}: document ${index + 1} lacks apiVersion, kind or metadata.name`);
    }
    objects.push(object as K8sObject);
  });
  return objects;
}

export function renderOverlay(overlay: string): K8sObject[] {
  return parseObjects(kustomize(overlayDir(overlay)), `overlays/${overlay}`);
}
