import { describe, expect, it } from 'vitest';
import { waitFor, within } from './wait-for.js';

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
    // A probe that never settles: only waitFor's own deadline can end this wait.
    await expect(waitFor(() => new Promise<boolean>(() => undefined), { timeoutMs: 50, what: 'a hung probe' })).rejects.toThrow(
      'timed out after 50ms waiting for a hung probe',
    );
  });
});

describe('within', () => {
  it('resolves with the event as soon as it happens', async () => {
    expect(await within(Promise.resolve('ready'), 'the event', 50)).toBe('ready');
  });

  it('names the event that did not happen', async () => {
    await expect(within(new Promise<never>(() => undefined), 'the registry to list intake healthy', 50)).rejects.toThrow(
      'timed out after 50ms waiting for the registry to list intake healthy',
    );
  });

  it('passes the event\'s own failure through', async () => {
    await expect(within(Promise.reject(new Error('exited with code 1')), 'ready', 50)).rejects.toThrow('exited with code 1');
  });
});
