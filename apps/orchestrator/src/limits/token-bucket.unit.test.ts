import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket.js';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with the wait until the next token', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 3, () => now);
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
    now = 500;
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, 1, () => 0);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
    expect(buckets.take('b').ok).toBe(true);
  });

  it('never holds more than the burst', () => {
    let now = 0;
    const buckets = new TokenBuckets(10, 2, () => now);
    now = 60_000;
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, false]);
  });

  it('spend takes out tokens admitted elsewhere: into debt, never more than one burst deep', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 4, () => now);
    buckets.spend('a', 3);
    expect([1, 2].map(() => buckets.take('a').ok)).toEqual([true, false]);
    buckets.spend('a', 100);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterMs: 2_500 });
    now = 2_500;
    expect(buckets.take('a').ok).toBe(true);
  });
});
