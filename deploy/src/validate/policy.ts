import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { INetworkPolicy, INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IService } from 'kubernetes-models/v1';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { SERVICES } from '../services.js';
import type { K8sObject } from '../render/render.js';
import { objectId } from './schema.js';

// Rules every rendered Spine install must keep, whatever the overlay or values. Each returns readable problems.

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS?|DATABASE_URL|_URI$/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

const ofKind = <T>(objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as unknown as (T & K8sObject)[];

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

interface Pod {
  owner: string;
  labels: Record<string, string>;
  spec: IPodSpec;
}

function pods(objects: readonly K8sObject[]): Pod[] {
  const deployments = ofKind<IDeployment>(objects, 'Deployment').map((d) => ({ owner: objectId(d), labels: d.spec?.template.metadata?.labels ?? {}, spec: d.spec?.template.spec }));
  const jobs = ofKind<IJob>(objects, 'Job').map((j) => ({ owner: objectId(j), labels: j.spec?.template.metadata?.labels ?? {}, spec: j.spec?.template.spec }));
  return [...deployments, ...jobs].filter((p): p is Pod => p.spec !== undefined);
}

const allContainers = (spec: IPodSpec): IContainer[] => [...(spec.initContainers ?? []), ...spec.containers];

/** Probes on /health/live and /health/ready, requests and limits, non-root and unprivileged. */
export function workloadProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const pod of pods(objects)) {
    if (pod.spec.securityContext?.runAsNonRoot !== true) problems.push(`${pod.owner}: pod securityContext.runAsNonRoot is not true`);
    if (pod.spec.automountServiceAccountToken !== false) problems.push(`${pod.owner}: mounts a service account token it does not need`);
    for (const c of allContainers(pod.spec)) {
      const where = `${pod.owner} container ${c.name}`;
      const sc = c.securityContext;
      if (sc?.runAsNonRoot !== true || sc.runAsUser === 0) problems.push(`${where}: not runAsNonRoot with a non-zero runAsUser`);
      if (sc?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (sc?.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
      if (!sc?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: does not drop ALL capabilities`);
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: no ${resource} in resources.${kind}`);
        }
      }
    }
    if (pod.owner.startsWith('Deployment/')) {
      for (const c of pod.spec.containers) {
        const where = `${pod.owner} container ${c.name}`;
        const portNames = new Set((c.ports ?? []).map((p) => p.name));
        for (const [probe, path] of [['livenessProbe', '/health/live'], ['readinessProbe', '/health/ready']] as const) {
          const get = c[probe]?.httpGet;
          if (get?.path !== path) problems.push(`${where}: ${probe} is not an HTTP GET on ${path}`);
          else if (typeof get.port === 'string' ? !portNames.has(get.port) : !(c.ports ?? []).some((p) => p.containerPort === get.port)) {
            problems.push(`${where}: ${probe} port ${String(get.port)} is not a container port`);
          }
        }
      }
    }
  }
  return problems;
}

/** Each Deployment has a PDB, an HPA, a Service and (when any is rendered) a ServiceMonitor; every service in the list has a Deployment. */
export function companionProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const deployments = ofKind<IDeployment>(objects, 'Deployment');
  const pdbs = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
  const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
  const services = ofKind<IService>(objects, 'Service');
  const monitors = ofKind<IServiceMonitor>(objects, 'ServiceMonitor');
  for (const d of deployments) {
    const labels = d.spec?.template.metadata?.labels;
    if (!pdbs.some((p) => matches(p.spec?.selector?.matchLabels, labels))) problems.push(`${objectId(d)}: no PodDisruptionBudget selects its pods`);
    if (!hpas.some((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name)) problems.push(`${objectId(d)}: no HorizontalPodAutoscaler`);
    const svc = services.find((s) => matches(s.spec?.selector, labels));
    if (!svc) problems.push(`${objectId(d)}: no Service selects its pods`);
    // ServiceMonitors are optional (monitoring.serviceMonitor.enabled, the CRD present); rendered, every service has one.
    else if (monitors.length > 0 && !monitors.some((m) => matches(m.spec?.selector.matchLabels, svc.metadata?.labels) && m.spec?.endpoints?.some((e) => e.path === '/metrics'))) {
      problems.push(`${objectId(d)}: no ServiceMonitor scrapes /metrics from ${objectId(svc)}`);
    }
  }
  for (const spec of SERVICES) {
    if (!deployments.some((d) => d.spec?.template.metadata?.labels?.['app.kubernetes.io/name'] === spec.name)) problems.push(`service ${spec.name}: no Deployment`);
  }
  return problems;
}

/** No Secret objects, no secret-looking env values or ConfigMap keys, no passwords inside URLs. */
export function secretProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) if (o.kind === 'Secret') problems.push(`${objectId(o)}: a Secret in the output; reference an existing one instead`);
  for (const pod of pods(objects)) {
    for (const c of allContainers(pod.spec)) {
      for (const env of c.env ?? []) {
        if (env.value !== undefined && SECRET_NAME.test(env.name)) problems.push(`${pod.owner} container ${c.name}: ${env.name} has a literal value; use secretKeyRef`);
      }
    }
  }
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const key of Object.keys((cm['data'] as Record<string, string> | undefined) ?? {})) {
      if (SECRET_NAME.test(key)) problems.push(`${objectId(cm)}: key ${key} looks like a secret; ConfigMaps hold no secrets`);
    }
  }
  const text = JSON.stringify(objects);
  const leaked = URL_WITH_PASSWORD.exec(text);
  if (leaked) problems.push(`a URL with a password in the output: ${leaked[0]}…`);
  return problems;
}

/** Every container (init ones too) runs the one configured image. */
export function imageProblems(objects: readonly K8sObject[], expected: string): string[] {
  const problems: string[] = [];
  for (const pod of pods(objects)) {
    for (const c of allContainers(pod.spec)) if (c.image !== expected) problems.push(`${pod.owner} container ${c.name}: image ${c.image} is not ${expected}`);
  }
  return problems;
}

/** Every ConfigMap a pod reads exists in the output (Kustomize renamed them with a hash; a miss means a broken reference). */
export function referenceProblems(objects: readonly K8sObject[]): string[] {
  const names = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
  const problems: string[] = [];
  for (const pod of pods(objects)) {
    for (const c of allContainers(pod.spec)) {
      for (const from of c.envFrom ?? []) {
        const name = from.configMapRef?.name;
        if (name && !names.has(name)) problems.push(`${pod.owner} container ${c.name}: ConfigMap ${name} is not in the output`);
      }
    }
  }
  return problems;
}

export interface Peers {
  nats: INetworkPolicyPeer;
  prometheus: INetworkPolicyPeer;
  ingressController: INetworkPolicyPeer;
}

/** JSON with sorted keys: renderers reorder keys, the meaning stays. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const samePeer = (a: INetworkPolicyPeer, b: INetworkPolicyPeer) => canonical(a) === canonical(b);

/**
 * Default deny; agents reachable only from NATS (and Prometheus on the metrics port);
 * the orchestrator only from the ingress controller (and Prometheus); no rule open to everyone.
 */
export function networkProblems(objects: readonly K8sObject[], peers: Peers): string[] {
  const problems: string[] = [];
  // `helm test` hooks exist only while a test runs (they open the orchestrator to the test pod, nothing else).
  const policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy').filter((p) => p.metadata.annotations?.['helm.sh/hook'] !== 'test');
  const denyAll = policies.some((p) => Object.keys(p.spec?.podSelector?.matchLabels ?? {}).length === 0 && !p.spec?.podSelector?.matchExpressions && p.spec?.policyTypes?.includes('Ingress') && p.spec.policyTypes.includes('Egress') && !p.spec.ingress?.length && !p.spec.egress?.length);
  if (!denyAll) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const pod of pods(objects)) {
    const own = policies.filter((p) => matches(p.spec?.podSelector?.matchLabels, pod.labels));
    if (own.length === 0) {
      problems.push(`${pod.owner}: no NetworkPolicy selects its pods`);
      continue;
    }
    const spec = SERVICES.find((s) => s.name === pod.labels['app.kubernetes.io/name']);
    for (const policy of own) {
      for (const rule of policy.spec?.ingress ?? []) {
        const from = rule.from ?? [];
        if (from.length === 0) problems.push(`${objectId(policy)}: an ingress rule open to every source`);
        for (const peer of from) {
          const scrapeOnly = samePeer(peer, peers.prometheus) && (rule.ports ?? []).length > 0 && rule.ports?.every((p) => p.port === 'admin' || p.port === 'http');
          if (scrapeOnly) continue;
          if (spec?.role === 'agent' && !samePeer(peer, peers.nats)) problems.push(`${objectId(policy)}: agent ${spec.name} reachable from ${JSON.stringify(peer)}, not only NATS`);
          if (spec?.public && !samePeer(peer, peers.ingressController)) problems.push(`${objectId(policy)}: ${spec.name} reachable from ${JSON.stringify(peer)}, not only the ingress controller`);
        }
      }
      for (const rule of policy.spec?.egress ?? []) {
        if ((rule.to ?? []).length === 0) problems.push(`${objectId(policy)}: an egress rule open to every destination`);
      }
    }
  }
  return problems;
}
