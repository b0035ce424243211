import { composeFile } from './compose/compose.js';
import { composeNatsConfig } from './compose/nats-config.js';
import { kustomizeBase } from './k8s/base.js';
import { helmCatalog } from './k8s/catalog.js';
import { natsValuesFile } from './k8s/nats.js';
import { cnpgCluster } from './k8s/postgres.js';

/** Every file generated from the service list, by path relative to deploy/. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, text] of kustomizeBase()) files.set(`k8s/base/${name}`, text);
  files.set('k8s/dependencies/nats-values.yaml', natsValuesFile());
  files.set('k8s/dependencies/postgres-cnpg.yaml', cnpgCluster());
  files.set('compose/docker-compose.yml', composeFile());
  files.set('compose/nats.conf', composeNatsConfig());
  files.set('helm/spine/files/services.yaml', helmCatalog());
  return files;
}
