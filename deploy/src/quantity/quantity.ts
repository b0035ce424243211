// Kubernetes resource quantities (`500m`, `1.5Gi`, `400M`, `1e9`): the serialization apimachinery accepts, as a number.
// Binary suffixes are powers of 1024, decimal ones powers of 1000; `m` is a thousandth (CPU).

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)$/;

/** The value of a quantity (bytes for memory, cores for CPU); throws on anything Kubernetes would reject. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity`);
  const [, number, exponent, suffix] = match;
  return Number(`${number}${exponent ?? ''}`) * (SUFFIX[suffix ?? ''] ?? 1);
}

export const MEBIBYTE = 2 ** 20;

/** The V8 heap a container gets: three quarters of its memory limit, in MiB, the rest for buffers, stacks and native code. */
export function heapMebibytes(memoryLimit: string | number): number {
  return Math.floor((parseQuantity(memoryLimit) * 0.75) / MEBIBYTE);
}
