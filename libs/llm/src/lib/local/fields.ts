import { foldKeepLength } from './text.js';

/** A value found in the text and where it was, so other extractors do not read it again. */
export interface Found<T = string> {
  value: T;
  index: number;
  length: number;
}

const QUOTED = /\s*(?:"([^"]+)"|«([^»]+)»|“([^”]+)”|'([^']+)')/y;
const PROPER = /\s*(\p{Lu}[\p{L}\p{N}&._'’-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._'’-]*|\d+))*)/uy;
const PERSON_NAME = /\s*(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,3})/uy;
const WORD = /\s*([\p{L}\p{N}][\p{L}\p{N}&._-]*)/uy;
const EMAIL = /[^\s@,;:<>()"']+@[^\s@,;:<>()"']+\.[A-Za-z]{2,}/g;
const EMAIL_AT = /\s*([^\s@,;:<>()"']+@[^\s@,;:<>()"']+\.[A-Za-z]{2,})/y;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;

/** Words that can follow a keyword but are never a name ("proyecto para…", "project for…"). */
const NOT_A_NAME = new Set(['para', 'de', 'del', 'que', 'el', 'la', 'los', 'las', 'un', 'una', 'con', 'en', 'a', 'al', 'y', 'o', 'nuevo', 'nueva', 'llamado', 'llamada', 'the', 'a', 'an', 'for', 'to', 'of', 'in', 'on', 'with', 'and', 'new', 'called', 'named', 'que', 'se', 'llame']);

type ValuePattern = RegExp;

/** Reads a value right after each keyword match (keywords matched on folded text, values on the original). */
function after(text: string, keyword: RegExp, values: readonly ValuePattern[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const m of folded.matchAll(keyword)) {
    const at = m.index + m[0].length;
    for (const pattern of values) {
      pattern.lastIndex = at;
      const v = pattern.exec(text);
      const value = v?.slice(1).find((g) => g !== undefined)?.trim();
      if (!v || !value || NOT_A_NAME.has(value.toLowerCase())) continue;
      return { value, index: m.index, length: v.index + v[0].length - m.index };
    }
  }
  return undefined;
}

export function findEmails(text: string): Found[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ value: m[0].replace(/\.$/, ''), index: m.index, length: m[0].length }));
}

export function findUuid(text: string): Found | undefined {
  const m = UUID.exec(text);
  return m ? { value: m[0], index: m.index, length: m[0].length } : undefined;
}

export function findQuoted(text: string): Found | undefined {
  const m = /"([^"]+)"|«([^»]+)»|“([^”]+)”/.exec(text);
  const value = m?.slice(1).find((g) => g !== undefined);
  return m && value ? { value: value.trim(), index: m.index, length: m[0].length } : undefined;
}

/** "en el proyecto Website", "in the Website project", "project 'Intranet 2026'". */
export function findProject(text: string): Found | undefined {
  const english = /\b(?:in|to|for|on|under|of)\s+(?:the\s+)?(\p{Lu}[\p{L}\p{N}&._-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._-]*|\d+))*)\s+project\b/u.exec(text);
  if (english?.[1]) return { value: english[1], index: english.index, length: english[0].length };
  return (
    after(text, /\b(?:en|del|al|para|de|in|to|for|on|under|of)\s+(?:el\s+|mi\s+|the\s+|my\s+)?(?:proyecto|project)\b/g, [QUOTED, PROPER, WORD]) ??
    after(text, /\b(?:proyecto|project)\b(?:\s+(?:llamado|llamada|denominado|que se llame|called|named))?/g, [QUOTED, PROPER, WORD])
  );
}

/** The name of a project being created: "proyecto llamado Website", "new project 'Intranet 2026'", "the Apollo project". */
export function findProjectName(text: string): Found | undefined {
  const english = /\b(?:the|a|an|new)\s+(\p{Lu}[\p{L}\p{N}&._-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._-]*|\d+))*)\s+project\b/u.exec(text);
  if (english?.[1]) return { value: english[1], index: english.index, length: english[0].length };
  return (
    after(text, /\b(?:proyecto|project)\b(?:\s+(?:nuevo|new))?(?:\s+(?:llamado|llamada|denominado|que se llame|called|named))?/g, [QUOTED, PROPER, WORD]) ??
    after(text, /\b(?:llamado|llamada|called|named)\b/g, [QUOTED, PROPER])
  );
}

/** Who a task is for: "asígnala a Ana", "para ana@acme.com", "assign it to Peter", "tareas de Ana". */
export function findAssignee(text: string): Found | undefined {
  return (
    after(text, /\b(?:asign\w*|assign\w*|responsable:?)\s+(?:it\s+|this\s+|la\s+|lo\s+)?(?:a\s+|para\s+|to\s+)?/g, [EMAIL_AT, PERSON_NAME]) ??
    after(text, /(?:^|\s)(?:para|for)\s+/g, [EMAIL_AT, PERSON_NAME]) ??
    after(text, /\b(?:tareas?|tasks?)\s+(?:de|of|for)\s+/g, [EMAIL_AT, PERSON_NAME])
  );
}

/** The person a user account is for: "usuario para Ana López", "da de alta a Pedro", "user named John Smith". */
export function findPersonName(text: string): Found | undefined {
  return after(
    text,
    /\b(?:usuari[oa]s?(?:\s+nuev[oa])?(?:\s+(?:para|llamad[oa]|a)\b)?|(?:new\s+)?user(?:\s+(?:for|named|called)\b)?|(?:da|dar|den|de)\s+de\s+alta(?:\s+(?:a|al usuario|a la usuaria)\b)?|agrega(?:r)?\s+a\b|anade\s+a\b|invita\s+a\b|add\b|invite\b|onboard\b|cuenta\s+para\b|account\s+for\b|llamad[oa]\b|named\b|called\b|nombre:?|name:?)\s*/g,
    [PERSON_NAME],
  );
}

const PRIORITY = /\b(?:prioridad\s+(alta|media|baja|urgente)|(alta|media|baja)\s+prioridad|priority\s*:?\s*(high|medium|low|urgent)|(high|medium|low)[- ]priority|(urgente|urgent))\b/g;
const PRIORITY_SYNONYMS: Record<string, readonly string[]> = {
  high: ['high', 'alta', 'alto', 'urgente', 'urgent'],
  medium: ['medium', 'media', 'medio', 'normal'],
  low: ['low', 'baja', 'bajo'],
};

/** A priority phrase mapped onto the enum's own values. */
export function findPriority(text: string, allowed: readonly string[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const m of folded.matchAll(PRIORITY)) {
    const said = m.slice(1).find((g) => g !== undefined) ?? '';
    const canonical = Object.keys(PRIORITY_SYNONYMS).find((k) => PRIORITY_SYNONYMS[k]?.includes(said));
    const options = canonical ? (PRIORITY_SYNONYMS[canonical] ?? []) : [said];
    const value = allowed.find((a) => options.includes(foldKeepLength(a)));
    if (value) return { value, index: m.index, length: m[0].length };
  }
  return undefined;
}

/** An enum value written as a word of the text. */
export function findEnumWord(text: string, allowed: readonly string[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const value of allowed) {
    const escaped = foldKeepLength(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`\\b${escaped}\\b`).exec(folded);
    if (m) return { value, index: m.index, length: m[0].length };
  }
  return undefined;
}

const DURATION = /\b(?:(?:por|durante|de|for|lasting)\s+)?(\d+(?:[.,]\d+)?|una|un|media|an|a|half an)\s*(horas?|hrs?|h|hours?|minutos?|mins?|minutes?)(\s+y\s+media|\s+and\s+a\s+half)?\b/g;

/** "30 minutos", "una hora y media", "for 2 hours" → minutes. */
export function findDurations(text: string): Found<number>[] {
  const folded = foldKeepLength(text);
  return [...folded.matchAll(DURATION)].map((m) => {
    const amount = m[1] === 'media' || m[1] === 'half an' ? 0.5 : /^\d/.test(m[1] ?? '') ? Number((m[1] ?? '0').replace(',', '.')) : 1;
    const hours = /^h/.test(m[2] ?? '');
    const extra = m[3] ? 0.5 : 0;
    return { value: Math.round((amount + extra) * (hours ? 60 : 1)), index: m.index, length: m[0].length };
  });
}

/** "título: X", "description: X", "llamada X": a labelled value up to the end of its clause. */
export function findLabelled(text: string, labels: readonly string[]): Found | undefined {
  const escaped = labels.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const m = new RegExp(`\\b(?:${escaped})\\s*[:=]\\s*([^,;\\n]+)`).exec(foldKeepLength(text));
  if (!m?.[1]) return undefined;
  const start = m.index + m[0].length - m[1].length;
  return { value: text.slice(start, start + m[1].length).trim(), index: m.index, length: m[0].length };
}
