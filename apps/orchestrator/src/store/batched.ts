/** What one item of a batch came to. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface BatchedOptions {
  /** Batches in flight at once; an item waits only while all of them are busy. */
  concurrency: number;
  /** Items per batch at most. */
  maxBatch: number;
  /**
   * Whether the items of a batch that failed with this error may be sent again one by one; by default always.
   * Say no when the batch may have taken effect (a connection lost before the answer): its items then fail.
   */
  retryAlone?: (err: unknown) => boolean;
}

/**
 * Group commit, for a write that can be sent for many items in one statement. An item goes at once when a batch
 * slot is free; items that arrive while every slot is busy wait and go together in the next batch, so under load
 * one round trip (and one transaction) carries many, and alone an item waits for nothing. Each item keeps its own
 * outcome; when a batch fails as a whole its items are sent again one by one (unless `retryAlone` says no), so one
 * bad item cannot fail the others.
 */
export class Batched<I, O> {
  private readonly queue: { item: I; resolve: (value: O) => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly sendBatch: (items: I[]) => Promise<Settled<O>[]>,
    private readonly options: BatchedOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: typeof this.queue): Promise<void> {
    let results: Settled<O>[];
    try {
      results = await this.sendBatch(batch.map((b) => b.item));
    } catch (err) {
      if (batch.length === 1 || !(this.options.retryAlone?.(err) ?? true)) return batch.forEach((b) => b.reject(err));
      for (const one of batch) await this.send([one]);
      return;
    }
    batch.forEach((b, i) => {
      const result = results[i];
      if (!result) b.reject(new Error(`batch answered ${results.length} results for ${batch.length} items`));
      else if (result.ok) b.resolve(result.value);
      else b.reject(result.error);
    });
  }
}
