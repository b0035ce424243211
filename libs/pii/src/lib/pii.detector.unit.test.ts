import { describe, expect, it } from 'vitest';
import { containsPii, findPii, redactJson, redactText } from './pii.detector.js';

describe('PII detection', () => {
  it('finds e-mails, phones, IBANs, cards and national ids, checked by their own rules', () => {
    const text = 'Soy ana.lopez@example.com, tel. +34 612 345 678, IBAN ES91 2100 0418 4502 0005 1332, tarjeta 4111 1111 1111 1111, DNI 12345678Z, SSN 123-45-6789';
    expect(findPii(text).map((m) => [m.kind, m.text])).toEqual([
      ['email', 'ana.lopez@example.com'],
      ['phone', '+34 612 345 678'],
      ['iban', 'ES91 2100 0418 4502 0005 1332'],
      ['card', '4111 1111 1111 1111'],
      ['national_id', '12345678Z'],
      ['national_id', '123-45-6789'],
    ]);
  });

  it('leaves look-alikes that fail their checks: a wrong IBAN checksum, a card failing Luhn, a DNI with the wrong letter', () => {
    expect(containsPii('IBAN ES00 2100 0418 4502 0005 1332, tarjeta 4111 1111 1111 1112, DNI 12345678A, pedido 2026-001')).toBe(false);
  });

  it('redacts every string of a JSON value, keeping its shape', () => {
    expect(redactText('escribe a ana@example.com')).toBe('escribe a [EMAIL]');
    expect(redactJson({ a: ['ES9121000418450200051332', 3], b: { c: 'nada' } })).toEqual({ a: ['[IBAN]', 3], b: { c: 'nada' } });
  });
});
