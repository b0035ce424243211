import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import validator from 'validator';

export type PiiKind = 'email' | 'phone' | 'iban' | 'card' | 'national_id';

/** One piece of personal data found in a text: where, and what kind. */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  text: string;
}

export interface PiiOptions {
  /** Where phone numbers without a country prefix are read (default ES). */
  defaultCountry?: CountryCode;
}

// Candidates are found by shape, then confirmed by a library check (IBAN mod-97, Luhn, DNI letter, phone metadata).
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
/** Spanish DNI (8 digits and a letter) and NIE (X/Y/Z, 7 digits, a letter). */
const ES_ID = /\b(?:\d{8}|[XYZ]\d{7})-?[A-Z]\b/gi;
/** US Social Security number, written with dashes (area not 000, 666 or 9xx; group and serial not zero). */
const US_SSN = /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g;
/** UK National Insurance number. */
const UK_NINO = /\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  for (const m of text.matchAll(re)) yield m as RegExpExecArray;
}

function find(text: string, opts: PiiOptions): PiiMatch[] {
  const found: PiiMatch[] = [];
  const add = (kind: PiiKind, start: number, value: string) => found.push({ kind, start, end: start + value.length, text: value });
  for (const m of matches(EMAIL, text)) if (validator.isEmail(m[0])) add('email', m.index, m[0]);
  for (const m of matches(IBAN, text)) if (isValidIBAN(electronicFormatIBAN(m[0]) ?? '')) add('iban', m.index, m[0]);
  for (const m of matches(CARD, text)) if (validator.isCreditCard(m[0].replace(/[ -]/g, ''))) add('card', m.index, m[0]);
  for (const m of matches(ES_ID, text)) if (validator.isIdentityCard(m[0].replace('-', '').toUpperCase(), 'ES')) add('national_id', m.index, m[0]);
  for (const m of matches(US_SSN, text)) add('national_id', m.index, m[0]);
  for (const m of matches(UK_NINO, text)) add('national_id', m.index, m[0]);
  for (const p of findPhoneNumbersInText(text, { defaultCountry: opts.defaultCountry ?? 'ES' })) add('phone', p.startsAt, text.slice(p.startsAt, p.endsAt));
  return found;
}

/** Every piece of personal data in `text`, in order; where two overlap (an IBAN's digits read as a phone), the longer wins. */
export function findPii(text: string, opts: PiiOptions = {}): PiiMatch[] {
  const sorted = find(text, opts).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiMatch[] = [];
  for (const m of sorted) {
    const last = kept.at(-1);
    if (last && m.start < last.end) {
      if (m.end - m.start > last.end - last.start) kept[kept.length - 1] = m;
      continue;
    }
    kept.push(m);
  }
  return kept;
}

export function containsPii(text: string, opts: PiiOptions = {}): boolean {
  return findPii(text, opts).length > 0;
}

/** The text with each piece of personal data replaced by `[EMAIL]`, `[IBAN]`, `[PHONE]`, `[CARD]` or `[NATIONAL_ID]`. */
export function redactText(text: string, opts: PiiOptions = {}): string {
  let out = '';
  let at = 0;
  for (const m of findPii(text, opts)) {
    out += `${text.slice(at, m.start)}[${m.kind.toUpperCase()}]`;
    at = m.end;
  }
  return out + text.slice(at);
}

/** A JSON value with every string in it redacted (keys are kept). */
export function redactJson<T>(value: T, opts: PiiOptions = {}): T {
  if (typeof value === 'string') return redactText(value, opts) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactJson(v, opts)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactJson(v, opts)])) as T;
  return value;
}

/** True when any string in a JSON value holds personal data. */
export function jsonContainsPii(value: unknown, opts: PiiOptions = {}): boolean {
  if (typeof value === 'string') return containsPii(value, opts);
  if (Array.isArray(value)) return value.some((v) => jsonContainsPii(v, opts));
  if (value && typeof value === 'object') return Object.values(value).some((v) => jsonContainsPii(v, opts));
  return false;
}
