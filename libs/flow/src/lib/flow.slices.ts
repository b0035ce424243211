/** Work written as a generator that yields between units (a node typed, say), run to the end at once. */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same work in slices of about `sliceMs`, giving the event loop back between them: a large flow's
 * validation or planning then delays other requests by a slice, not by the whole of it.
 */
export async function drainInSlices<T>(steps: Generator<void, T>, sliceMs = 10): Promise<T> {
  // A monotonic clock measures the slice; no business decision depends on it.
  let started = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - started >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      started = performance.now();
    }
  }
}
