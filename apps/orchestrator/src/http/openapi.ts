import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The public REST API's OpenAPI 3 document, built from the controllers themselves (every route is in it; bodies
 * come from the same zod schemas that validate them): `/openapi.json`, and interactive docs at `/docs`.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Spine orchestrator')
    .setDescription(
      'The public endpoint of a Spine mesh: deploy flows, run executions, follow them as Server-Sent Events (resume with Last-Event-ID on any replica), hold conversations, register your own agents. ' +
        'Authenticate with an API key: `Authorization: Bearer spk_…`. Errors are `{ code, message, details? }` with the HTTP status of their code.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'spk_<id>_<secret>' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  document.security = [{ bearer: [] }];
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
}
