import { StructSchema } from '@bufbuild/protobuf/wkt';
import { defineAgent } from '@spine/agent-kit';

/** What a node without outputSchema answers (LlmAnswer in proto/spine/llm/v1/llm.proto, as JSON). */
export const LLM_ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    text: { type: 'string' },
    response: { type: 'object', properties: { text: { type: 'string' }, length: { type: 'integer' }, contains_pii: { type: 'boolean' } } },
    model: { type: 'string' },
  },
} as const;

export const llmAgent = defineAgent({
  name: 'llm',
  version: '0.1.0',
  description: "One model call per flow node: the node's systemPrompt, its inputs as the prompt's variables, temperature and maxTokens; structured output when it declares outputSchema (validated, repaired once, else SCHEMA_VIOLATION); free text streamed to spine.stream.<tenant>.<execution>.",
  capabilities: ['llm.complete', 'llm.structured'],
  input: StructSchema,
  output: StructSchema,
  inputSchema: { type: 'object' },
  outputSchema: LLM_ANSWER_SCHEMA,
});
