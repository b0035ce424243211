import type { JsonSchema } from '../llm.types.js';

/** What a tool argument holds, as far as reading it from text goes. */
export type SlotKind =
  | 'title'
  | 'project'
  | 'person'
  | 'name'
  | 'email'
  | 'instant'
  | 'since'
  | 'until'
  | 'date'
  | 'time'
  | 'duration'
  | 'enum'
  | 'reference'
  | 'description'
  | 'query'
  | 'id'
  | 'attendees'
  | 'creator'
  | 'none';

const KINDS = new Set<string>(['title', 'project', 'person', 'name', 'email', 'instant', 'since', 'until', 'date', 'time', 'duration', 'enum', 'reference', 'description', 'query', 'id', 'attendees', 'creator', 'none']);

export type ToolObject = 'task' | 'project' | 'user' | 'event' | 'other';
export type ToolVerb = 'create' | 'update' | 'delete' | 'read' | 'other';

export interface SlotSpec {
  name: string;
  kind: SlotKind;
  schema: JsonSchema;
  required: boolean;
}

export function toolObject(toolName: string): ToolObject {
  if (/task/i.test(toolName)) return 'task';
  if (/project/i.test(toolName)) return 'project';
  if (/user|member|account/i.test(toolName)) return 'user';
  if (/calendar|event|meeting|appointment/i.test(toolName)) return 'event';
  return 'other';
}

export function toolVerb(toolName: string): ToolVerb {
  if (/^(create|add|new|book|schedule|register|invite)/i.test(toolName)) return 'create';
  if (/^(update|edit|move|rename|reschedule|change)/i.test(toolName)) return 'update';
  if (/^(delete|remove|cancel)/i.test(toolName)) return 'delete';
  if (/^(list|search|get|find|query)/i.test(toolName)) return 'read';
  return 'other';
}

function dateKind(name: string, format: unknown): SlotKind {
  if (/since|^from|after|desde|duefrom/.test(name)) return 'since';
  if (/until|^to$|before|hasta|^end|dueto$|createdto$/.test(name)) return 'until';
  if (format === 'date') return 'date';
  if (format === 'time') return 'time';
  return 'instant';
}

/**
 * The kind of a property: its `x-extract` keyword when the schema gives one, else read from its
 * enum, format and name ("dueAt" → instant, "project" → project, "assignee" → person).
 */
export function slotKind(name: string, schema: JsonSchema): SlotKind {
  const hint = schema['x-extract'];
  if (typeof hint === 'string' && KINDS.has(hint)) return hint as SlotKind;
  const n = name.toLowerCase();
  const format = schema['format'];
  if (Array.isArray(schema['enum'])) return 'enum';
  if (format === 'email' || /e?mail|correo/.test(n)) return 'email';
  if (format === 'date-time' || format === 'date' || format === 'time' || /date|fecha|dueat|startsat|endsat|since|until|^from$|^to$/.test(n)) return dateKind(n, format);
  if (/(^|_)ids?$/.test(n) || /[a-z]Ids?$/.test(name)) return 'id';
  if (/duration|minutes|minutos|duracion/.test(n)) return 'duration';
  if (/title|subject|summary|titulo|asunto/.test(n)) return 'title';
  if (/project|proyecto/.test(n)) return 'project';
  if (/attendees|participants|invitees|asistentes|participantes/.test(n)) return 'attendees';
  if (/^(?:createdby|creator|creador)$/.test(n)) return 'creator';
  if (/assignee|owner|responsible|responsable|person|member|attendee/.test(n)) return 'person';
  if (/^(?:event|task)(ref|name|title)?$/.test(n)) return 'reference';
  if (/name|nombre/.test(n)) return 'name';
  if (/description|descripcion|notes|details/.test(n)) return 'description';
  if (/query|search|question|^q$|^text$|pregunta|consulta/.test(n)) return 'query';
  return 'none';
}

/** The slots of an object schema, in declaration order. */
export function slotsOf(parameters: JsonSchema): SlotSpec[] {
  const props = parameters['properties'];
  if (!props || typeof props !== 'object') return [];
  const required = new Set(Array.isArray(parameters['required']) ? parameters['required'].filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(props as Record<string, unknown>)
    .filter((e): e is [string, JsonSchema] => typeof e[1] === 'object' && e[1] !== null)
    .map(([name, schema]) => ({ name, kind: slotKind(name, schema), schema, required: required.has(name) }));
}

/** Free-text kinds a bare answer ("Website", "revisar el contrato") can fill. */
export const FREE_TEXT_KINDS: ReadonlySet<SlotKind> = new Set(['title', 'project', 'person', 'name', 'reference', 'description', 'none']);
