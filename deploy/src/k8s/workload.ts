import type { IContainer, IContainerPort, IEnvVar, IProbe, IServicePort } from 'kubernetes-models/v1';
import type { IConfigMap, IService, IServiceAccount } from 'kubernetes-models/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { ServiceSpec } from '../services.js';
import { ADMIN_PORT, IMAGE, TERMINATION_GRACE_SECONDS, UID, secrets } from './cluster.js';
import { labels, resourceName, selectorLabels } from './labels.js';

export const COMMON_CONFIG = 'spine-common';

function probe(path: string, periodSeconds: number, failureThreshold: number): IProbe {
  // The admin port: probes and scrapes never share the public port the Ingress forwards.
  return { httpGet: { path, port: 'admin' }, periodSeconds, failureThreshold, timeoutSeconds: 2 };
}

/** Container security shared by every Spine container (apps and migrations). */
export const containerSecurity: IContainer['securityContext'] = {
  runAsNonRoot: true,
  runAsUser: UID,
  runAsGroup: UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export const podSecurity = {
  runAsNonRoot: true,
  runAsUser: UID,
  runAsGroup: UID,
  fsGroup: UID,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

function secretEnv(name: string, ref: { name: string; key: string }, optional = false): IEnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key, ...(optional ? { optional } : {}) } } };
}

/** AGENT_SECRET_KEY and its rotation, for the service and for its migration (which re-seals old secrets). */
export function agentSecretKeyEnv(spec: ServiceSpec): IEnvVar[] {
  if (!spec.sealsAgentSecrets) return [];
  return [secretEnv('AGENT_SECRET_KEY', secrets.agentSecretKey), secretEnv('AGENT_SECRET_KEY_PREVIOUS', secrets.agentSecretKeyPrevious, true)];
}

/** Secrets a service reads, by reference only. */
export function secretEnvOf(spec: ServiceSpec): IEnvVar[] {
  const env = [secretEnv('NATS_PASSWORD', secrets.nats(spec.name))];
  if (spec.database) env.push(secretEnv('DATABASE_URL', secrets.database(spec.name)));
  if (spec.vectorStore) env.push(secretEnv('QDRANT_API_KEY', secrets.qdrant));
  // Optional: the default LLM_DEFAULT_MODEL=local needs no key.
  if (spec.llm) env.push(secretEnv('OPENAI_API_KEY', secrets.llm, true));
  env.push(...agentSecretKeyEnv(spec));
  if (spec.operatorApi) env.push(secretEnv('OPERATOR_TOKEN', secrets.operatorToken, true));
  return env;
}

export function appContainer(spec: ServiceSpec): IContainer {
  const ports: IContainerPort[] = [{ name: 'http', containerPort: spec.httpPort, protocol: 'TCP' }];
  if (spec.grpcPort) ports.push({ name: 'grpc', containerPort: spec.grpcPort, protocol: 'TCP' });
  ports.push({ name: 'admin', containerPort: ADMIN_PORT, protocol: 'TCP' });
  return {
    name: spec.name,
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: ['main'],
    ports,
    envFrom: [{ configMapRef: { name: COMMON_CONFIG } }, { configMapRef: { name: resourceName(spec.name) } }],
    env: [
      // Identity survives restarts of the same pod; replicas stay distinct in the registry.
      { name: 'AGENT_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ...secretEnvOf(spec),
    ],
    startupProbe: probe('/health/live', 2, 30),
    livenessProbe: probe('/health/live', 10, 3),
    readinessProbe: probe('/health/ready', 5, 2),
    resources: { requests: { ...spec.resources.requests }, limits: { ...spec.resources.limits } },
    securityContext: containerSecurity,
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    // HTTP callers: let the endpoint controller take the pod out of rotation before SIGTERM arrives.
    ...(spec.role === 'platform' ? { lifecycle: { preStop: { sleep: { seconds: 5 } } } } : {}),
  };
}

export function deployment(spec: ServiceSpec): IDeployment {
  const name = resourceName(spec.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: labels(spec.name, spec.role) },
    spec: {
      // No `replicas`: the HorizontalPodAutoscaler owns it, and an apply must not reset it.
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(spec.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: labels(spec.name, spec.role) },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: podSecurity,
          containers: [appContainer(spec)],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selectorLabels(spec.name) },
          })),
        },
      },
    },
  };
}

export function service(spec: ServiceSpec): IService {
  const ports: IServicePort[] = [{ name: 'http', port: spec.httpPort, targetPort: 'http', protocol: 'TCP' }];
  if (spec.grpcPort) ports.push({ name: 'grpc', port: spec.grpcPort, targetPort: 'grpc', protocol: 'TCP' });
  ports.push({ name: 'admin', port: ADMIN_PORT, targetPort: 'admin', protocol: 'TCP' });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: resourceName(spec.name), labels: labels(spec.name, spec.role) },
    spec: { type: 'ClusterIP', selector: selectorLabels(spec.name), ports },
  };
}

export function serviceAccount(spec: ServiceSpec): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: resourceName(spec.name), labels: labels(spec.name, spec.role) },
    automountServiceAccountToken: false,
  };
}

export function autoscaler(spec: ServiceSpec): IHorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: resourceName(spec.name), labels: labels(spec.name, spec.role) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: resourceName(spec.name) },
      minReplicas: spec.replicas.min,
      maxReplicas: spec.replicas.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

export function disruptionBudget(spec: ServiceSpec): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: resourceName(spec.name), labels: labels(spec.name, spec.role) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(spec.name) } },
  };
}

export function serviceMonitor(spec: ServiceSpec): IServiceMonitor {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: resourceName(spec.name), labels: labels(spec.name, spec.role) },
    spec: {
      selector: { matchLabels: selectorLabels(spec.name) },
      endpoints: [{ port: 'admin', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
    },
  };
}

export function configMap(name: string, data: Record<string, string>, component: string): IConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: labels(name.replace(/^spine-/, ''), component) }, data };
}
