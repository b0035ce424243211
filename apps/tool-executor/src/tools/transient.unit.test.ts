import { describe, expect, it } from 'vitest';
import { retryTransient } from './transient.js';

const pgError = (code: string): Error => Object.assign(new Error(`pg ${code}`), { code });

describe('retryTransient', () => {
  it('calls again after a serialization failure and returns the later result', async () => {
    let calls = 0;
    const result = await retryTransient(async () => {
      calls += 1;
      if (calls < 3) throw pgError('40001');
      return 'committed';
    });
    expect({ result, calls }).toEqual({ result: 'committed', calls: 3 });
  });

  it('gives up after three calls with the last error', async () => {
    let calls = 0;
    const failing = retryTransient(async () => {
      calls += 1;
      throw Object.assign(pgError('40P01'), { driverError: { code: '40P01' }, attempt: calls });
    });
    await expect(failing).rejects.toMatchObject({ code: '40P01', attempt: 3 });
    expect(calls).toBe(3);
  });

  it('does not retry an error that is not transient', async () => {
    let calls = 0;
    const failing = retryTransient(async () => {
      calls += 1;
      throw pgError('23503');
    });
    await expect(failing).rejects.toMatchObject({ code: '23503' });
    expect(calls).toBe(1);
  });

  it('waits 25 ms then 50 ms between calls', async () => {
    const at: number[] = [];
    await retryTransient(async () => {
      at.push(performance.now());
      if (at.length < 3) throw pgError('57P01');
    });
    const gaps = [at[1]! - at[0]!, at[2]! - at[1]!];
    expect(gaps[0]).toBeGreaterThanOrEqual(24);
    expect(gaps[1]).toBeGreaterThanOrEqual(49);
  });
});
