import { create, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { anyIs, anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { ErrorCode, InvokeRequestSchema, InvokeResponseSchema, SpineError, subjects, type Usage } from '@spine/contracts';
import type { CallOptions, ProtoClient } from './proto.client.js';

export interface InvokeOptions extends CallOptions {
  executionId: string;
  nodeId: string;
  tenantId: string;
  attempt?: number;
  model?: string;
  scope?: MessageInitShape<typeof InvokeRequestSchema>['scope'];
  context?: MessageInitShape<typeof InvokeRequestSchema>['context'];
}

export interface AgentReply<Out extends DescMessage> {
  output?: MessageShape<Out>;
  usage?: Usage;
  /** The agent's coded failure (InvokeResponse.error); transport failures throw instead. */
  error?: SpineError;
}

/** Invokes a built-in agent: packs the typed input into an InvokeRequest, unpacks the typed output. */
export class AgentClient {
  constructor(private readonly client: ProtoClient) {}

  async invoke<In extends DescMessage, Out extends DescMessage>(
    agent: string,
    io: { input: In; output: Out },
    input: MessageInitShape<In>,
    options: InvokeOptions,
  ): Promise<AgentReply<Out>> {
    const { executionId, nodeId, tenantId, attempt = 1, model = '', scope, context, ...call } = options;
    const request = create(InvokeRequestSchema, {
      executionId, nodeId, tenantId, attempt, model, scope, context,
      input: anyPack(io.input, create(io.input, input)),
    });
    const res = await this.client.request(subjects.agentInvoke(agent), InvokeRequestSchema, request, InvokeResponseSchema, { tenantId, ...call });
    if (res.error) return { error: SpineError.fromMessage(res.error), ...(res.usage ? { usage: res.usage } : {}) };
    if (!res.output || !anyIs(res.output, io.output)) {
      throw new SpineError(ErrorCode.INTERNAL, `${agent} answered ${res.output?.typeUrl || 'no output'}, not a ${io.output.typeName}`);
    }
    return { output: anyUnpack(res.output, io.output)!, ...(res.usage ? { usage: res.usage } : {}) };
  }
}
