import { describe, expect, it } from 'vitest';
import { heapMebibytes, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it.each<[string | number, number]>([
    ['1Gi', 1073741824],
    ['512Mi', 536870912],
    ['400M', 400_000_000],
    ['1.5Gi', 1610612736],
    ['1e9', 1_000_000_000],
    ['2k', 2000],
    ['128974848', 128974848],
    ['500m', 0.5],
    ['2', 2],
    ['.5', 0.5],
    [3, 3],
  ])('%s = %d', (quantity, value) => expect(parseQuantity(quantity)).toBeCloseTo(value, 6));

  it.each(['', '1GB', '1gi', 'Gi', '1.2.3', '1 Gi', 'ten'])('refuses %j', (quantity) => {
    expect(() => parseQuantity(quantity)).toThrow(/is not a Kubernetes quantity/);
  });
});

describe('heapMebibytes', () => {
  it('is three quarters of the limit in whole MiB, whatever the suffix', () => {
    expect(heapMebibytes('1Gi')).toBe(768);
    expect(heapMebibytes('512Mi')).toBe(384);
    // 400M is 381.5 MiB, not 400 MiB and not the 768 a Mi/Gi-only parser left in place.
    expect(heapMebibytes('400M')).toBe(286);
    expect(heapMebibytes('2G')).toBe(1430);
  });
});
