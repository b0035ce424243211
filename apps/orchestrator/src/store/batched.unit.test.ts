import { describe, expect, it } from 'vitest';
import { Batched, type Settled } from './batched.js';

/** A sender that records its batches and answers each item by a rule, after a turn of the event loop. */
function recorder(answer: (item: number) => Settled<string> = (n) => ({ ok: true, value: `#${n}` })) {
  const batches: number[][] = [];
  const send = async (items: number[]) => {
    batches.push(items);
    await new Promise((resolve) => setImmediate(resolve));
    if (items.includes(-1)) throw new Error('the whole batch failed');
    return items.map(answer);
  };
  return { batches, send };
}

describe('Batched: group commit', () => {
  it('sends an item at once when a slot is free, and what queued behind it together', async () => {
    const { batches, send } = recorder();
    const batched = new Batched(send, { concurrency: 1, maxBatch: 100 });
    const results = await Promise.all([1, 2, 3, 4].map((n) => batched.submit(n)));
    expect(results).toEqual(['#1', '#2', '#3', '#4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches within maxBatch and uses every slot', async () => {
    const { batches, send } = recorder();
    const batched = new Batched(send, { concurrency: 2, maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batched.submit(n)));
    expect(batches).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
  });

  it("gives each item its own outcome: one item's failure rejects that item only", async () => {
    const { send } = recorder((n) => (n === 3 ? { ok: false, error: new Error('three') } : { ok: true, value: `#${n}` }));
    const batched = new Batched(send, { concurrency: 1, maxBatch: 100 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => batched.submit(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['#1', '#2', 'three', '#4']);
  });

  it('sends the items of a failed batch again one by one', async () => {
    const { batches, send } = recorder();
    const batched = new Batched(send, { concurrency: 1, maxBatch: 100 });
    const outcomes = await Promise.allSettled([1, 2, -1, 4].map((n) => batched.submit(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['#1', '#2', 'the whole batch failed', '#4']);
    expect(batches).toEqual([[1], [2, -1, 4], [2], [-1], [4]]);
  });

  it('fails every item of a failed batch, without sending them again, when retryAlone says the batch may have taken effect', async () => {
    const { batches, send } = recorder();
    const batched = new Batched(send, { concurrency: 1, maxBatch: 100, retryAlone: () => false });
    const outcomes = await Promise.allSettled([1, 2, -1, 4].map((n) => batched.submit(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual(['#1', 'the whole batch failed', 'the whole batch failed', 'the whole batch failed']);
    expect(batches).toEqual([[1], [2, -1, 4]]);
  });

  it('rejects every item when the sender answers for fewer items than it was given', async () => {
    const batched = new Batched(async (items: number[]) => items.slice(1).map((n) => ({ ok: true as const, value: n })), { concurrency: 1, maxBatch: 100 });
    await expect(batched.submit(1)).rejects.toThrow(/0 results for 1 items/);
  });
});
