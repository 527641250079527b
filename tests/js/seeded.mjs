// Seeded randomness for the fuzz and differential tests: the same cases on
// every run, so a failure reproduces from its case number and seed.

/** xorshift32: a function returning floats in [0, 1). */
export function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** One element of `xs`, chosen by `r`. */
export const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
