import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first truthy value the probe gives', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing probe as not ready yet', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        if (++calls < 3) throw new Error('not yet');
        return 'up';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('up');
  });

  it('names what it waited for and the last error when it times out', async () => {
    const probe = (): false => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:4222');
    };
    await expect(waitFor(probe, { timeoutMs: 50, intervalMs: 10, what: 'nats' })).rejects.toThrow(
      /^timed out after 50ms waiting for nats; last error: connect ECONNREFUSED 127\.0\.0\.1:4222$/,
    );
  });

  it('gives up on a probe that never settles', async () => {
    const started = Date.now();
    await expect(waitFor(() => new Promise<boolean>(() => undefined), { timeoutMs: 50, what: 'a hung probe' })).rejects.toThrow(
      'timed out after 50ms waiting for a hung probe',
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
