export { NatsProtoServer, type NatsProtoServerOptions } from './lib/nats-proto.server.js';
export { ProtoClient, type CallOptions } from './lib/proto.client.js';
export { ProtoPipe } from './lib/proto.pipe.js';
export { NatsProtoContext, callContextOf, readDeadline, type CallContext } from './lib/call-context.js';
export { errorOfReply, errorHeaders, replyWithError } from './lib/error-reply.js';
export { newTraceparent, childTraceparent, traceIdOf } from './lib/trace.js';
export { ensureStream, ensureConsumer, publishOnce, type StreamSpec, type ConsumerSpec } from './lib/jetstream.js';
export { connectNats, closeNats, type NatsConnectOptions } from './lib/nats-connect.js';
export { AgentClient, type AgentReply, type InvokeOptions } from './lib/agent.client.js';
