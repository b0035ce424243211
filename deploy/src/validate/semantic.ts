// Rules across objects that a cluster would reject or silently break, which no per-object schema catches:
// HPA bounds, requests within limits, the V8 heap within the memory limit, port names that resolve, selectors that
// select, Secrets that the README lists, and two installs that do not collide. Each problem names the rendered field
// and, where one exists, the Helm value that sets it.
import type { IContainer, IPodSpec, IService } from 'kubernetes-models/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { MEBIBYTE, parseQuantity } from '../quantity/quantity.js';
import type { K8sObject } from '../render/render.js';
import { objectId } from './schema.js';

const ofKind = <T>(objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as unknown as (T & K8sObject)[];
const serviceOf = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/name'] ?? o.metadata.name;
/** The Helm value behind a per-service field. */
const valueHint = (o: K8sObject, path: string) => `(Helm: services.${serviceOf(o)}.${path})`;

interface PodTemplate {
  owner: K8sObject;
  labels: Record<string, string>;
  spec: IPodSpec;
}

function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const o of objects) {
    const spec = o['spec'] as { template?: { metadata?: { labels?: Record<string, string> }; spec?: IPodSpec } } | undefined;
    if ((o.kind === 'Deployment' || o.kind === 'Job' || o.kind === 'StatefulSet') && spec?.template?.spec) {
      templates.push({ owner: o, labels: spec.template.metadata?.labels ?? {}, spec: spec.template.spec });
    }
  }
  return templates;
}

const containersOf = (spec: IPodSpec): IContainer[] => [...(spec.initContainers ?? []), ...spec.containers];

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** HPA bounds: minReplicas ≤ maxReplicas (the API server refuses the object otherwise). */
export function autoscalerProblems(objects: readonly K8sObject[]): string[] {
  return ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').flatMap((h) => {
    const min = h.spec?.minReplicas ?? 1;
    const max = h.spec?.maxReplicas ?? 0;
    return min > max ? [`${objectId(h)}: spec.minReplicas ${min} > spec.maxReplicas ${max} ${valueHint(h, 'replicas.min/max')}`] : [];
  });
}

/** Requests within limits for every container and resource (the API server refuses a pod whose request exceeds its limit). */
export function resourceProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const pod of podTemplates(objects)) {
    for (const c of containersOf(pod.spec)) {
      const requests = c.resources?.requests ?? {};
      const limits = c.resources?.limits ?? {};
      for (const [resource, request] of Object.entries(requests)) {
        const limit = limits[resource];
        if (limit === undefined || request === undefined) continue;
        try {
          if (parseQuantity(String(request)) > parseQuantity(String(limit))) {
            problems.push(`${objectId(pod.owner)} container ${c.name}: resources.requests.${resource} ${String(request)} > resources.limits.${resource} ${String(limit)} ${valueHint(pod.owner, `resources.requests.${resource}`)}`);
          }
        } catch (err) {
          problems.push(`${objectId(pod.owner)} container ${c.name}: resources.${resource}: ${(err as Error).message}`);
        }
      }
    }
  }
  return problems;
}

/** A container's environment as the kubelet builds it: envFrom ConfigMaps in order, then env literals. */
function environment(c: IContainer, configMaps: Map<string, Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const data = from.configMapRef?.name ? configMaps.get(from.configMapRef.name) : undefined;
    for (const [k, v] of Object.entries(data ?? {})) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

/** Share of the memory limit the V8 heap may take: the rest is buffers, stacks, native code (the chart sets ¾). */
export const MAX_HEAP_SHARE = 0.8;

/** NODE_OPTIONS=--max-old-space-size within the memory limit: a heap larger than the container is an OOM kill under load. */
export function heapProblems(objects: readonly K8sObject[]): string[] {
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, (o['data'] as Record<string, string> | undefined) ?? {}]));
  const problems: string[] = [];
  for (const pod of podTemplates(objects)) {
    for (const c of containersOf(pod.spec)) {
      const options = environment(c, configMaps)['NODE_OPTIONS'];
      const heap = options ? /--max-old-space-size=(\d+)/.exec(options)?.[1] : undefined;
      const limit = c.resources?.limits?.['memory'];
      if (heap === undefined || limit === undefined) continue;
      const limitBytes = parseQuantity(String(limit));
      if (Number(heap) * MEBIBYTE > limitBytes * MAX_HEAP_SHARE) {
        problems.push(
          `${objectId(pod.owner)} container ${c.name}: NODE_OPTIONS --max-old-space-size=${heap} (MiB) is over ${MAX_HEAP_SHARE * 100} % of ` +
            `resources.limits.memory ${String(limit)} (${Math.floor(limitBytes / MEBIBYTE)} MiB) ${valueHint(pod.owner, 'resources.limits.memory or its config.NODE_OPTIONS')}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Every port a Service, Ingress, Gateway route, ServiceMonitor or NetworkPolicy names resolves: Service targetPorts to
 * container ports of the pods it selects, Ingress and route backends to ports of an existing Service, ServiceMonitor
 * endpoints to port names of the Services it selects, NetworkPolicy ports to container ports of the pods it selects.
 */
export function portProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const pods = podTemplates(objects);
  const services = ofKind<IService>(objects, 'Service');
  const containerPorts = (labels: Record<string, string> | undefined) =>
    pods.filter((p) => selects(labels, p.labels)).flatMap((p) => p.spec.containers.flatMap((c) => c.ports ?? []));
  for (const svc of services) {
    const ports = containerPorts(svc.spec?.selector);
    for (const port of svc.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const found = typeof target === 'string' ? ports.some((p) => p.name === target) : ports.some((p) => p.containerPort === target);
      if (!found) problems.push(`${objectId(svc)}: spec.ports ${port.name ?? port.port} targetPort ${String(target)} is no container port of the pods it selects`);
    }
  }
  const servicePort = (name: string | undefined, port: { name?: string; number?: number } | number | undefined) => {
    const svc = services.find((s) => s.metadata.name === name);
    if (!svc) return `Service ${String(name)} is not rendered`;
    const ok = typeof port === 'number' ? svc.spec?.ports?.some((p) => p.port === port) : svc.spec?.ports?.some((p) => (port?.name ? p.name === port.name : p.port === port?.number));
    return ok ? undefined : `Service ${String(name)} has no port ${typeof port === 'number' ? port : (port?.name ?? String(port?.number))}`;
  };
  for (const ingress of ofKind<IIngress>(objects, 'Ingress')) {
    for (const rule of ingress.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        const missing = servicePort(backend?.name, backend?.port);
        if (missing) problems.push(`${objectId(ingress)}: backend ${missing} (Helm: ${backend?.port?.name === 'grpc' ? 'ingress.grpc.enabled needs services.orchestrator.grpcPort' : 'ingress'})`);
      }
    }
  }
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute')) {
    const rules = ((route['spec'] as { rules?: { backendRefs?: { name: string; port?: number }[] }[] } | undefined)?.rules ?? []);
    for (const ref of rules.flatMap((r) => r.backendRefs ?? [])) {
      const missing = servicePort(ref.name, ref.port);
      if (missing) problems.push(`${objectId(route)}: backendRef ${missing} (Helm: gatewayApi)`);
    }
  }
  for (const monitor of ofKind<IServiceMonitor>(objects, 'ServiceMonitor')) {
    const selected = services.filter((s) => selects(monitor.spec?.selector.matchLabels, s.metadata.labels ?? {}));
    if (selected.length === 0) problems.push(`${objectId(monitor)}: spec.selector selects no Service`);
    for (const endpoint of monitor.spec?.endpoints ?? []) {
      if (endpoint.port && !selected.some((s) => s.spec?.ports?.some((p) => p.name === endpoint.port))) {
        problems.push(`${objectId(monitor)}: endpoint port ${endpoint.port} is no port name of the Services it selects (Helm: adminPort)`);
      }
    }
  }
  for (const policy of ofKind<INetworkPolicy>(objects, 'NetworkPolicy')) {
    const selector = policy.spec?.podSelector?.matchLabels;
    if (!selector || Object.keys(selector).length === 0) continue;
    const ports = containerPorts(selector);
    if (ports.length === 0) continue;
    for (const rule of policy.spec?.ingress ?? []) {
      for (const port of rule.ports ?? []) {
        if (typeof port.port === 'string' && !ports.some((p) => p.name === port.port)) {
          problems.push(`${objectId(policy)}: ingress port ${port.port} is no container port name of the pods it selects`);
        }
      }
    }
  }
  return problems;
}

/** Selectors select: each workload's selector matches its own template, each Service and PDB selects some pods. */
export function selectorProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const pods = podTemplates(objects);
  for (const pod of pods.filter((p) => p.owner.kind !== 'Job')) {
    const selector = (pod.owner['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels;
    if (!selects(selector, pod.labels)) problems.push(`${objectId(pod.owner)}: spec.selector does not match spec.template.metadata.labels`);
  }
  for (const svc of ofKind<IService>(objects, 'Service')) {
    if (!pods.some((p) => selects(svc.spec?.selector, p.labels))) problems.push(`${objectId(svc)}: spec.selector selects no pod template`);
  }
  for (const pdb of ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget')) {
    if (!pods.some((p) => selects(pdb.spec?.selector?.matchLabels, p.labels))) problems.push(`${objectId(pdb)}: spec.selector selects no pod template`);
  }
  return problems;
}

/** A Secret the README documents: its name (with `<service>` standing for a service name) and keys. */
export interface DocumentedSecret {
  name: string;
  keys: string[];
}

/**
 * Every secretKeyRef names a documented Secret and key. Names are documented for the install `spine`; another
 * install's names start with its own fullname. `allowed` holds names the values set (existing-secret overrides).
 */
export function secretRefProblems(objects: readonly K8sObject[], documented: readonly DocumentedSecret[], fullname: string, allowed: readonly string[] = []): string[] {
  const patterns = documented.map((d) => ({
    keys: d.keys,
    regex: new RegExp(`^${d.name.replace(/^spine(?=-)/, fullname).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<service>', '[a-z][a-z0-9-]*')}$`),
  }));
  const problems: string[] = [];
  for (const pod of podTemplates(objects)) {
    for (const c of containersOf(pod.spec)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        if (allowed.includes(ref.name ?? '')) continue;
        const doc = patterns.find((p) => p.regex.test(ref.name ?? ''));
        if (!doc) problems.push(`${objectId(pod.owner)} container ${c.name}: ${e.name} reads Secret ${String(ref.name)}, which deploy/README.md does not list`);
        else if (!doc.keys.includes(ref.key)) problems.push(`${objectId(pod.owner)} container ${c.name}: ${e.name} reads key ${ref.key} of Secret ${String(ref.name)}; deploy/README.md lists ${doc.keys.join(', ')}`);
      }
    }
  }
  return problems;
}

export interface Rendering {
  release: string;
  objects: readonly K8sObject[];
}

const natsUsers = (objects: readonly K8sObject[]) =>
  new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => (o['data'] as Record<string, string> | undefined)?.['NATS_USER']).filter((u): u is string => Boolean(u)));

/**
 * Two installs in one namespace: no object name, workload selector or NATS user in common (a shared selector lets
 * one install's Service, PDB or HPA act on the other's pods; a shared NATS user serves one install's work with the other's agents).
 */
export function collisionProblems(a: Rendering, b: Rendering): string[] {
  const problems: string[] = [];
  const hint = '(Helm: give each release its own name; fullnameOverride, nameOverride or secrets.* make them equal)';
  const names = new Set(a.objects.map((o) => `${o.kind}/${o.metadata.name}`));
  for (const o of b.objects) {
    if (o.metadata.annotations?.['helm.sh/hook'] === 'test') continue;
    if (names.has(`${o.kind}/${o.metadata.name}`)) problems.push(`${o.kind}/${o.metadata.name}: rendered by releases ${a.release} and ${b.release} ${hint}`);
  }
  const podsOfB = podTemplates(b.objects);
  for (const o of a.objects) {
    const spec = o['spec'] as { selector?: Record<string, unknown> & { matchLabels?: Record<string, string> } } | undefined;
    const selector = o.kind === 'Service' ? (spec?.selector as Record<string, string> | undefined) : spec?.selector?.matchLabels;
    if (!selector || !['Deployment', 'Service', 'PodDisruptionBudget'].includes(o.kind)) continue;
    const caught = podsOfB.filter((p) => selects(selector, p.labels));
    if (caught.length > 0) problems.push(`${objectId(o)} of release ${a.release}: its selector also selects ${caught.map((p) => objectId(p.owner)).join(', ')} of release ${b.release} ${hint}`);
  }
  const usersOfA = natsUsers(a.objects);
  for (const user of natsUsers(b.objects)) if (usersOfA.has(user)) problems.push(`NATS user ${user}: used by releases ${a.release} and ${b.release} ${hint}`);
  return problems;
}
