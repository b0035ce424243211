import { z } from 'zod';

/** A message's content: a string, or the array form with text parts (images and audio are not understood by flows). */
const content = z.union([
  z.string().max(32_000),
  z
    .array(z.object({ type: z.literal('text'), text: z.string().max(32_000) }).loose())
    .max(64)
    .transform((parts) => parts.map((p) => p.text).join('\n')),
  z.null(),
]);

const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: content.optional(),
    name: z.string().max(128).optional(),
  })
  .loose();

/**
 * What `/v1/chat/completions` accepts: the OpenAI request, bounded. Sampling settings are accepted and ignored (the
 * flow's nodes own them); client-side tools are refused by the service with a clear message.
 */
export const chatCompletionInput = z
  .object({
    model: z.string().trim().min(1).max(200),
    messages: z.array(message).min(1).max(200),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullish(),
    user: z.string().trim().min(1).max(200).optional(),
    tools: z.array(z.unknown()).max(128).optional(),
    tool_choice: z.unknown().optional(),
    functions: z.array(z.unknown()).max(128).optional(),
    n: z.number().int().min(1).max(1).optional(),
  })
  .loose();

export type ChatCompletionInput = z.infer<typeof chatCompletionInput>;
export type ChatMessage = ChatCompletionInput['messages'][number];
