import type { JsonObject, JsonValue } from '@bufbuild/protobuf';

const strings = (v: JsonValue | undefined): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/**
 * A seed `tool` node (`{ type: tool, tool, params }`) on the tool-executor: its evaluated params are the arguments of
 * one call, acting for the trigger's user and roles (a conversation sets them; a flow started over the API with no
 * user acts as `flow:<flowId>`, role client). The tool-executor then checks scope, role and arguments as for any call.
 */
export function toolCallsOf(tool: string, params: JsonObject, context: JsonObject): JsonObject {
  const trigger = context['trigger'];
  const t = trigger && typeof trigger === 'object' && !Array.isArray(trigger) ? trigger : {};
  const userId = typeof t['userId'] === 'string' && t['userId'] ? t['userId'] : `flow:${String(context['flowId'] ?? '')}`;
  const language = t['locale'] === 'en' || t['language'] === 'en' ? 'en' : 'es';
  return {
    calls: [{ tool, arguments: params }],
    userId,
    roles: strings(t['roles']) ?? ['client'],
    language,
    ...(typeof t['timezone'] === 'string' ? { timezone: t['timezone'] } : {}),
  };
}
