export { httpAgent, type HttpAgentOptions } from './lib/http-agent.js';
export { grpcAgent, type GrpcAgentOptions, type GrpcTlsOptions } from './lib/grpc-agent.js';
export type { AgentHandler, AgentRequest, AgentResult, AgentUsage, InputParser, JsonObject } from './lib/handler.js';
export type { AgentServer, LifecycleOptions } from './lib/shutdown.js';
export { sign, verify, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_MS, type VerifyOptions, type VerifyResult } from './lib/signature.js';
export {
  agentServiceDefinition,
  grpcServiceDefinition,
  type AgentServiceDefinition,
  type GrpcServiceDefinition,
  type GrpcServiceOptions,
} from './lib/grpc-service.js';
export { packJson, unpackJson, toJsonValue } from './lib/json-any.js';
export { SpineError, ErrorCode } from '@spine/contracts';
