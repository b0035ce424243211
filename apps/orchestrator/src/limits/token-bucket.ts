interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key: `ratePerSecond` refill, `burst` capacity. In memory; TenantRates takes out what other
 * replicas admitted, so the rate holds across them.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; when none is left, how long until one is (ms). */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const bucket = this.refilled(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.ratePerSecond) * 1000) };
  }

  /** Takes out `count` tokens admitted elsewhere; the bucket may go into debt, at most one burst deep. */
  spend(key: string, count: number): void {
    const bucket = this.refilled(key);
    bucket.tokens = Math.max(-this.burst, bucket.tokens - count);
  }

  private refilled(key: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
