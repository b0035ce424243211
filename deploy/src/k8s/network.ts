import type { INetworkPolicy, INetworkPolicyEgressRule, INetworkPolicyIngressRule, INetworkPolicyPeer, INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1';
import type { ServiceSpec } from '../services.js';
import { DNS, INGRESS_CONTROLLER, NATS, POSTGRES, PROMETHEUS, QDRANT, type PeerRef } from './cluster.js';
import { labels, resourceName, selectorLabels } from './labels.js';

export const MIGRATIONS = 'migrate';

export function peer(ref: PeerRef): INetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ref.namespace } },
    podSelector: { matchLabels: { ...ref.podLabels } },
  };
}

const tcp = (port: number | string): INetworkPolicyPort => ({ protocol: 'TCP', port });
const dns: INetworkPolicyEgressRule = { to: [peer(DNS)], ports: [{ protocol: 'UDP', port: 53 }, tcp(53)] };
const postgres: INetworkPolicyEgressRule = { to: [peer(POSTGRES)], ports: [tcp(POSTGRES.port)] };
// Third-party agents, ERP tools and LLM APIs live outside the cluster: HTTPS to public addresses only.
const externalHttps: INetworkPolicyEgressRule = {
  to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } }],
  ports: [tcp(443)],
};

/** The Kubernetes API server (the migration writes the first admin key into a Secret). */
export const kubeApi: INetworkPolicyEgressRule = { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443), tcp(6443)] };

/** Everything in the namespace starts closed; each service's policy opens what it needs. */
export function defaultDeny(): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'spine-default-deny', labels: labels('spine', 'network') },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

function ingressRules(spec: ServiceSpec): INetworkPolicyIngressRule[] {
  const scrape: INetworkPolicyIngressRule = { from: [peer(PROMETHEUS)], ports: [tcp('admin')] };
  if (spec.public) {
    const ports = [tcp('http'), ...(spec.grpcPort ? [tcp('grpc')] : [])];
    return [{ from: [peer(INGRESS_CONTROLLER)], ports }, scrape];
  }
  if (spec.role === 'agent') return [{ from: [peer(NATS)] }, scrape];
  // Platform services without a public endpoint (registry): its operator API from the orchestrator only.
  return [{ from: [{ podSelector: { matchLabels: selectorLabels('orchestrator') } }], ports: [tcp('http')] }, scrape];
}

function egressRules(spec: ServiceSpec): INetworkPolicyEgressRule[] {
  const rules: INetworkPolicyEgressRule[] = [dns, { to: [peer(NATS)], ports: [tcp(NATS.port)] }];
  if (spec.database) rules.push(postgres);
  if (spec.vectorStore) rules.push({ to: [peer(QDRANT)], ports: QDRANT.ports.map(tcp) });
  if (spec.externalHttps) rules.push(externalHttps);
  return rules;
}

export function networkPolicy(spec: ServiceSpec): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: resourceName(spec.name), labels: labels(spec.name, spec.role) },
    spec: {
      podSelector: { matchLabels: selectorLabels(spec.name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressRules(spec),
      egress: egressRules(spec),
    },
  };
}

export function migrationsPolicy(): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: resourceName(MIGRATIONS), labels: labels(MIGRATIONS, 'migrations') },
    spec: {
      podSelector: { matchLabels: selectorLabels(MIGRATIONS) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [dns, postgres, kubeApi],
    },
  };
}
