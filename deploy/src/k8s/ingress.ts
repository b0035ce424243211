import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import { serviceSpec } from '../services.js';
import { secrets } from './cluster.js';
import { labels, resourceName } from './labels.js';

const ORCHESTRATOR = serviceSpec('orchestrator');
export const API_HOST = 'api.spine.example.com';
export const GRPC_HOST = 'grpc.spine.example.com';

function ingress(name: string, host: string, port: string, tlsSecret: string, annotations: Record<string, string>): IIngress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, labels: labels('orchestrator', 'ingress'), annotations },
    spec: {
      tls: [{ hosts: [host], secretName: tlsSecret }],
      rules: [
        {
          host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: resourceName(ORCHESTRATOR.name), port: { name: port } } } }],
          },
        },
      ],
    },
  };
}

/** REST and SSE: SSE needs buffering off and long reads; clients resume with Last-Event-ID on any replica. */
export function apiIngress(): IIngress {
  return ingress('spine-api', API_HOST, 'http', secrets.apiTls, {
    'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
    'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
    'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
    'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
    'nginx.ingress.kubernetes.io/proxy-body-size': '4m',
  });
}

/** gRPC needs its own Ingress: the backend protocol is per Ingress object in ingress-nginx (and gRPC needs TLS). */
export function grpcIngress(): IIngress {
  return ingress('spine-grpc', GRPC_HOST, 'grpc', secrets.grpcTls, {
    'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC',
    'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
    'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
  });
}
