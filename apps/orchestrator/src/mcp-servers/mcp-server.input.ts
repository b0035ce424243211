import { SpineError } from '@spine/contracts';
import { z } from 'zod';

/** A server's name is the namespace of its tools (`name.tool`): no dot, so the split is unambiguous. */
export const MCP_SERVER_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

const schema = z
  .object({
    name: z.string().regex(MCP_SERVER_NAME, 'lower-case letters, digits, - or _, starting with a letter, at most 32'),
    /** Streamable HTTP only: a stdio command is an operator's choice, never an API caller's. */
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(4_096)).default({}),
    /** Sent as `Authorization: Bearer <secret>`. */
    secret: z.string().min(1).max(4_096).optional(),
  })
  .strict();

export type McpServerInput = z.infer<typeof schema>;

export function parseMcpServerInput(body: unknown): McpServerInput {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  throw SpineError.invalid(`${field}: ${issue.message}`, { field });
}

/** The headers every request to the server carries. */
export function headersOf(input: McpServerInput): Record<string, string> {
  return { ...input.headers, ...(input.secret ? { authorization: `Bearer ${input.secret}` } : {}) };
}
