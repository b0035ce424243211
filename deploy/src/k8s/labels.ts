import { PART_OF, RELEASE } from './cluster.js';

export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': RELEASE, 'app.kubernetes.io/part-of': PART_OF };
}

export function labels(name: string, component: string): Record<string, string> {
  return { ...selectorLabels(name), 'app.kubernetes.io/component': component };
}

export function resourceName(service: string): string {
  return `${RELEASE}-${service}`;
}
