import { fromBinary, toBinary, type DescMessage, type DescService } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

/**
 * A @grpc/grpc-js service definition from a protobuf-es service descriptor, keyed by each method's local name
 * (`deployFlow`); messages travel as protobuf-es binary. Client streaming is not used by Spine's services.
 */
export function grpcDefinitionOf(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      originalName: method.name,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: serializer(method.input),
      requestDeserialize: deserializer(method.input),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
    };
  }
  return definition;
}

const serializer = (schema: DescMessage) => (message: unknown) => Buffer.from(toBinary(schema, message as never));
const deserializer = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);
