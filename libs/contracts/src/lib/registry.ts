import { createRegistry } from '@bufbuild/protobuf';
import { file_google_protobuf_struct, file_google_protobuf_timestamp } from '@bufbuild/protobuf/wkt';
import { file_spine_agent_v1_agent } from '../gen/spine/agent/v1/agent_pb.js';
import { file_spine_common_v1_errors } from '../gen/spine/common/v1/errors_pb.js';
import { file_spine_execution_v1_audit } from '../gen/spine/execution/v1/audit_pb.js';
import { file_spine_execution_v1_execution } from '../gen/spine/execution/v1/execution_pb.js';
import { file_spine_flow_v1_flow } from '../gen/spine/flow/v1/flow_pb.js';
import { file_spine_intake_v1_intake } from '../gen/spine/intake/v1/intake_pb.js';
import { file_spine_orchestrator_v1_orchestrator } from '../gen/spine/orchestrator/v1/orchestrator_pb.js';
import { file_spine_planner_v1_planner } from '../gen/spine/planner/v1/planner_pb.js';
import { file_spine_registry_v1_registry } from '../gen/spine/registry/v1/registry_pb.js';
import { file_spine_llm_v1_llm } from '../gen/spine/llm/v1/llm_pb.js';
import { file_spine_router_v1_router } from '../gen/spine/router/v1/router_pb.js';
import { file_spine_streamer_v1_streamer } from '../gen/spine/streamer/v1/streamer_pb.js';
import { file_spine_retrieval_v1_retrieval } from '../gen/spine/retrieval/v1/retrieval_pb.js';
import { file_spine_tools_v1_tools } from '../gen/spine/tools/v1/tools_pb.js';

/** Every message type Spine defines, by full name: transports encode replies and pack `Any` with it. */
export const spineRegistry = createRegistry(
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_spine_common_v1_errors,
  file_spine_agent_v1_agent,
  file_spine_registry_v1_registry,
  file_spine_execution_v1_execution,
  file_spine_execution_v1_audit,
  file_spine_flow_v1_flow,
  file_spine_intake_v1_intake,
  file_spine_tools_v1_tools,
  file_spine_router_v1_router,
  file_spine_streamer_v1_streamer,
  file_spine_llm_v1_llm,
  file_spine_retrieval_v1_retrieval,
  file_spine_planner_v1_planner,
  file_spine_orchestrator_v1_orchestrator,
);
