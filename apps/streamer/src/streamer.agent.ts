import { defineAgent } from '@spine/agent-kit';
import { StreamerInputSchema, StreamerOutputSchema } from '@spine/contracts';

export const streamerAgent = defineAgent({
  name: 'streamer',
  version: '0.1.0',
  description: 'Writes the reply token by token from the tool results (never a result no tool returned) and publishes it to spine.stream.<tenant>.<execution>.',
  capabilities: ['reply.stream'],
  input: StreamerInputSchema,
  output: StreamerOutputSchema,
});
