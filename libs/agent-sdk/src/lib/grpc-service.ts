import { fromBinary, toBinary, type DescMessage, type DescMethod, type DescService, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { AgentService } from '@spine/contracts';

/**
 * The one protobuf-es ↔ @grpc/grpc-js adapter: a grpc-js service definition from a protobuf-es service
 * descriptor, keyed by each method's local name (`invokeStream`, `deployFlow`); messages travel as protobuf-es
 * binary. It lives here, not in an internal lib, because this package is published and may depend only on
 * @spine/contracts; the orchestrator and libs/remote-agents import it from here.
 */
export type GrpcServiceDefinition<S extends GenServiceMethods> = ServiceDefinition & {
  [K in keyof S]: MethodDefinition<MessageShape<S[K]['input']>, MessageShape<S[K]['output']>>;
};

export interface GrpcServiceOptions {
  /** Called with each request a server decodes and the bytes it came from (for checking a signature over them). */
  onRequestDecoded?: (request: object, bytes: Uint8Array) => void;
}

export function grpcServiceDefinition<S extends GenServiceMethods>(service: GenService<S>, options?: GrpcServiceOptions): GrpcServiceDefinition<S>;
export function grpcServiceDefinition(service: DescService, options?: GrpcServiceOptions): ServiceDefinition;
export function grpcServiceDefinition(service: DescService, options: GrpcServiceOptions = {}): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) definition[method.localName] = methodDefinition(service, method, options);
  return definition;
}

function methodDefinition(service: DescService, method: DescMethod, { onRequestDecoded }: GrpcServiceOptions): MethodDefinition<unknown, unknown> {
  const decodeRequest = deserializer(method.input);
  return {
    path: `/${service.typeName}/${method.name}`,
    originalName: method.name,
    requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
    responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
    requestSerialize: serializer(method.input),
    requestDeserialize: onRequestDecoded
      ? (bytes: Buffer) => {
          const request = decodeRequest(bytes);
          onRequestDecoded(request, bytes);
          return request;
        }
      : decodeRequest,
    responseSerialize: serializer(method.output),
    responseDeserialize: deserializer(method.output),
  };
}

const serializer = (schema: DescMessage) => (message: unknown) => Buffer.from(toBinary(schema, message as never));
const deserializer = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);

/** The bytes each request was decoded from: the signature covers them (see grpcAgent's `secret`). */
const received = new WeakMap<object, Uint8Array>();

/** The wire bytes of a request this process decoded, for checking its signature. */
export function receivedBytesOf(request: object): Uint8Array | undefined {
  return received.get(request);
}

export type AgentServiceDefinition = GrpcServiceDefinition<typeof AgentService extends GenService<infer S> ? S : never>;

/** `spine.agent.v1.AgentService` for @grpc/grpc-js, serialized with the protobuf-es generated messages. */
export const agentServiceDefinition: AgentServiceDefinition = grpcServiceDefinition(AgentService, {
  onRequestDecoded: (request, bytes) => received.set(request, bytes),
});
