import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import {
  InvokeRequestSchema,
  InvokeResponseSchema,
  InvokeStreamRequestSchema,
  InvokeStreamResponseSchema,
  type InvokeRequest,
  type InvokeResponse,
  type InvokeStreamRequest,
  type InvokeStreamResponse,
} from '@spine/contracts';

/** The bytes each request was decoded from: the signature covers them (see grpcAgent's `secret`). */
const received = new WeakMap<object, Uint8Array>();

/** The wire bytes of a request this process decoded, for checking its signature. */
export function receivedBytesOf(request: object): Uint8Array | undefined {
  return received.get(request);
}

function method<I extends DescMessage, O extends DescMessage>(
  name: string,
  input: I,
  output: O,
  responseStream: boolean,
): MethodDefinition<MessageShape<I>, MessageShape<O>> {
  return {
    path: `/spine.agent.v1.AgentService/${name}`,
    originalName: name,
    requestStream: false,
    responseStream,
    requestSerialize: (m) => Buffer.from(toBinary(input, m)),
    requestDeserialize: (b) => {
      const request = fromBinary(input, b);
      received.set(request, b);
      return request;
    },
    responseSerialize: (m) => Buffer.from(toBinary(output, m)),
    responseDeserialize: (b) => fromBinary(output, b),
  };
}

export interface AgentServiceDefinition extends ServiceDefinition {
  invoke: MethodDefinition<InvokeRequest, InvokeResponse>;
  invokeStream: MethodDefinition<InvokeStreamRequest, InvokeStreamResponse>;
}

/** `spine.agent.v1.AgentService` for @grpc/grpc-js, serialized with the protobuf-es generated messages. */
export const agentServiceDefinition: AgentServiceDefinition = {
  invoke: method('Invoke', InvokeRequestSchema, InvokeResponseSchema, false),
  invokeStream: method('InvokeStream', InvokeStreamRequestSchema, InvokeStreamResponseSchema, true),
};
