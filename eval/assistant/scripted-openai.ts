// A scripted OpenAI-compatible server for `LLM_PROVIDER=openai npm run eval:assistant`: the services talk to it
// through the openai provider (HTTP, JSON and SSE as OpenAI sends them), and its script is the local provider's
// answer to the same messages. Offline; it shows that the openai path runs end to end, not what a real model scores.
import { LocalProvider, type ChatMessage, type CompletionRequest, type ToolDefinition } from '@spine/llm';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface OpenAiMessage {
  role: string;
  content: string | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

function toRequest(body: Record<string, unknown>): CompletionRequest {
  const raw = (body['messages'] as OpenAiMessage[] | undefined) ?? [];
  const zone = raw.map((m) => /time zone ([\w/+-]+)\)/.exec(m.content ?? '')?.[1]).find(Boolean);
  const knownNames = namesIn(raw.filter((m) => m.role === 'system').map((m) => m.content ?? '').join('\n'));
  const messages: ChatMessage[] = raw.map((m): ChatMessage => {
    if (m.role === 'tool') return { role: 'tool', content: m.content ?? '', toolCallId: m.tool_call_id ?? '' };
    if (m.role === 'assistant')
      return { role: 'assistant', content: m.content ?? '', ...(m.tool_calls ? { toolCalls: m.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments) as Record<string, unknown>, rawArguments: c.function.arguments })) } : {}) };
    return { role: m.role === 'system' ? 'system' : 'user', content: m.content ?? '' };
  });
  const tools = ((body['tools'] as { function: { name: string; description?: string; parameters: Record<string, unknown> } }[] | undefined) ?? []).map(
    (t): ToolDefinition => ({ name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), parameters: t.function.parameters }),
  );
  const choice = body['tool_choice'] as string | { function: { name: string } } | undefined;
  // The router asks for structured output: the local provider fills the same schema.
  const format = body['response_format'] as { type: string; json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean } } | undefined;
  const responseFormat: CompletionRequest['responseFormat'] =
    format?.type === 'json_schema' && format.json_schema ? { type: 'json_schema', name: format.json_schema.name, schema: format.json_schema.schema } : format?.type === 'json_object' ? { type: 'json_object' } : undefined;
  return {
    ...(responseFormat ? { responseFormat } : {}),
    messages,
    ...(tools.length ? { tools } : {}),
    ...(choice ? { toolChoice: typeof choice === 'string' ? (choice as 'auto' | 'none') : { name: choice.function.name } } : {}),
    ...(zone ? { now: { timezone: zone, now: new Date() } } : {}),
    ...(knownNames ? { knownNames } : {}),
  };
}

/** The tenant's names as the planner's system message lists them (plan.prompt.ts), read back as a model would. */
function namesIn(system: string): CompletionRequest['knownNames'] {
  const list = (label: string): string[] => {
    const line = new RegExp(`^${label}: (.*)\\.$`, 'm').exec(system)?.[1];
    if (!line) return [];
    try {
      return JSON.parse(`[${line}]`) as string[];
    } catch {
      return [];
    }
  };
  const known = { projects: list("The tenant's projects"), users: list("The tenant's users"), events: list("The user's events"), tasks: list("The tenant's open tasks") };
  return Object.values(known).some((names) => names.length) ? known : undefined;
}

export async function startScriptedOpenAi(): Promise<{ url: string; stop(): Promise<void> }> {
  const local = new LocalProvider({ defaultTimezone: 'UTC' });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    if (!(req.url ?? '').endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'only chat completions are scripted' } }));
      return;
    }
    const answer = await local.complete(toRequest(body));
    const toolCalls = answer.toolCalls.map((c, index) => ({ index, id: c.id, type: 'function', function: { name: c.name, arguments: c.rawArguments } }));
    const usage = { prompt_tokens: answer.usage.promptTokens, completion_tokens: answer.usage.completionTokens, total_tokens: answer.usage.promptTokens + answer.usage.completionTokens };
    const finish = toolCalls.length ? 'tool_calls' : 'stop';
    const base = { id: 'chatcmpl-eval', created: Math.floor(Date.now() / 1000), model: String(body['model'] ?? 'scripted') };
    if (body['stream']) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (x: unknown) => res.write(`data: ${JSON.stringify(x)}\n\n`);
      for (const token of answer.text.match(/\s*\S+/g) ?? []) send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: token }, finish_reason: null }] });
      if (toolCalls.length) send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: null }] });
      send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] });
      send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
      res.end('data: [DONE]\n\n');
      return;
    }
    const message = { role: 'assistant', content: answer.text || null, ...(toolCalls.length ? { tool_calls: toolCalls.map(({ index: _index, ...c }) => c) } : {}) };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage }));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: err.message } })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
