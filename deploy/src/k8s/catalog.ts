import { SERVICES } from '../services.js';
import { GENERATED_HEADER, toYaml } from './base.js';
import { commonConfig, serviceConfig } from './config.js';

/** The service list as the Helm chart reads it (`.Files.Get "files/services.yaml"`): same list, same settings. */
export function helmCatalog(): string {
  const catalog = {
    common: commonConfig(),
    services: SERVICES.map((spec) => ({
      name: spec.name,
      role: spec.role,
      httpPort: spec.httpPort,
      grpcPort: spec.grpcPort ?? 0,
      public: spec.public ?? false,
      database: spec.database ?? false,
      vectorStore: spec.vectorStore ?? false,
      llm: spec.llm ?? false,
      externalHttps: spec.externalHttps ?? false,
      sealsAgentSecrets: spec.sealsAgentSecrets ?? false,
      operatorApi: spec.operatorApi ?? false,
      replicas: spec.replicas,
      resources: spec.resources,
      config: serviceConfig(spec),
    })),
  };
  return GENERATED_HEADER + toYaml(catalog);
}
