import { describe, expect, it } from 'vitest';
import { chunkText } from './chunks.js';

describe('chunkText', () => {
  it('merges short paragraphs and starts a new chunk past ~600 characters', () => {
    const long = 'x'.repeat(700);
    expect(chunkText(`a\n\nb\n\n${long}\n\nc`)).toEqual(['a b', long, 'c']);
  });

  it('collapses whitespace and drops empty paragraphs', () => {
    expect(chunkText('  one\n  two  \n\n\n\n  ')).toEqual(['one two']);
  });
});
