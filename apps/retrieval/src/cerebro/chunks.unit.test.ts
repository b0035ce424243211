import { describe, expect, it } from 'vitest';
import { chunkLanguage, chunkSections, chunkText } from './chunks.js';

describe('chunkSections', () => {
  it('merges short paragraphs, starts a new chunk past ~600 characters, and carries the end of the previous one over', () => {
    const words = (tag: string) => Array.from({ length: 80 }, (_, i) => `${tag}${i}`).join(' ');
    const [first, second, third] = [words('a'), words('b'), words('c')];
    const chunks = chunkText(`x\n\ny\n\n${first}\n\n${second}\n\n${third}`);
    expect(chunks[0]).toBe(`x y ${first}`);
    expect(chunks[1]!.endsWith(second)).toBe(true);
    expect(chunks[1]!.startsWith('a')).toBe(true);
    expect(chunks[1]!.slice(0, -second.length - 1).length).toBeLessThanOrEqual(120);
    expect(chunks[2]!.endsWith(third)).toBe(true);
    expect(chunks[2]!.startsWith('b')).toBe(true);
  });

  it('collapses whitespace and drops empty paragraphs', () => {
    expect(chunkText('  one\n  two  \n\n\n\n  ')).toEqual(['one two']);
  });

  it('never lets a chunk span two sections, and names the headings above it', () => {
    const chunks = chunkSections('# Vacaciones\n\nSon 22 días.\n\n## Solicitud\nSe piden con 15 días de antelación.\n\n# Gastos\n\nCon factura.');
    expect(chunks).toEqual([
      { text: 'Son 22 días.', section: 'Vacaciones' },
      { text: 'Se piden con 15 días de antelación.', section: 'Vacaciones › Solicitud' },
      { text: 'Con factura.', section: 'Gastos' },
    ]);
  });

  it('cuts a paragraph longer than the target at sentence ends', () => {
    const sentence = (i: number) => `Sentence number ${i} says something about the policy.`;
    const chunks = chunkText(Array.from({ length: 30 }, (_, i) => sentence(i)).join(' '));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= 600 + 130)).toBe(true);
    expect(chunks.every((c) => c.trim().endsWith('.'))).toBe(true);
  });
});

describe('chunkLanguage', () => {
  it('tells Spanish from English and falls back when unsure', () => {
    expect(chunkLanguage('Las vacaciones se solicitan con quince días de antelación a través del portal del empleado.', 'en')).toBe('es');
    expect(chunkLanguage('Holidays must be requested fifteen days in advance through the employee portal.', 'es')).toBe('en');
    expect(chunkLanguage('42', 'es')).toBe('es');
  });
});
