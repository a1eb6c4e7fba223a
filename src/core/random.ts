import { describe, fail } from './errors.js';
import { portableLog } from './math.js';

/**
 * A seedable pseudo-random generator: xoshiro128** (Blackman & Vigna, 2018) on four 32-bit
 * words, seeded through SplitMix32 so that nearby seeds give unrelated streams. Everything
 * is 32-bit integer arithmetic (`Math.imul`, shifts), so the same seed gives the same
 * sequence in every JavaScript engine, in Node and in the browser.
 *
 * @see https://prng.di.unimi.it/
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * const a = rng.uniform();
 * new Random(42).uniform() === a; // true
 * ```
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  /** @param seed - any finite number; its integer part (mod 2³²) selects the stream */
  constructor(seed = 0) {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      fail('INVALID_OPTION', `seed: received ${describe(seed)}, expected a finite number`);
    }
    let x = Math.trunc(seed) >>> 0;
    const next = (): number => {
      // SplitMix32: a bijective mixer, so state words are never all zero for distinct calls.
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return r;
  }

  /** A uniform double in [0, 1) with 53 random bits; or in [low, high) when given. */
  uniform(low = 0, high = 1): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    const u = (a * 67108864 + b) / 9007199254740992;
    return low + (high - low) * u;
  }

  /** A standard normal draw (Marsaglia's polar method; the second value is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    // Math.sqrt is correctly rounded everywhere; Math.log is not, hence portableLog.
    const f = Math.sqrt((-2 * portableLog(s)) / s);
    this.spare = v * f;
    return mean + std * u * f;
  }

  /** A uniform integer in [0, n), without modulo bias (rejection of the incomplete last block). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      fail('INVALID_OPTION', `n: received ${describe(n)}, expected an integer in [1, 2^32]`);
    }
    // All quantities stay below 2^32, so this is exact in double arithmetic.
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** `k` distinct indices from [0, n), in random order. */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) fail('INVALID_OPTION', `n: received ${describe(n)}, expected a non-negative integer`);
    if (!Number.isInteger(k) || k < 0 || k > n) fail('INVALID_OPTION', `k: received ${describe(k)}, expected an integer in [0, ${n}]`);
    const out = new Int32Array(k);
    if (4 * k >= n) {
      // Dense case: a partial Fisher-Yates over all indices.
      const all = new Int32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + this.int(n - i);
        const t = all[i]!;
        all[i] = all[j]!;
        all[j] = t;
        out[i] = all[i]!;
      }
      return out;
    }
    // Sparse case: Floyd's algorithm touches O(k) memory, then a shuffle fixes the order.
    const chosen = new Set<number>();
    for (let j = n - k, i = 0; j < n; j++, i++) {
      const t = this.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      out[i] = pick;
    }
    return this.shuffle(out);
  }

  /** Fills `out` with independent standard normal draws and returns it. */
  fillNormal<T extends Float64Array | Float32Array>(out: T): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seed, or a generator to draw from (shared with the caller). */
export type SeedLike = number | Random;

/**
 * Resolves a `seed` option: a number starts a new stream, a {@link Random} is used as is.
 *
 * @example
 * ```ts
 * randomFrom(undefined).uniform() === new Random(0).uniform(); // true
 * ```
 */
export function randomFrom(seed: SeedLike | undefined, name = 'seed'): Random {
  const s = checkSeed(seed, name);
  return s instanceof Random ? s : new Random(s ?? 0);
}

/**
 * Checks a `seed` option (undefined, a finite number or a {@link Random}) without drawing
 * from it: for functions that keep the seed for later, so that a bad one fails when they
 * are called, not when (or whether) chance enters.
 *
 * @example
 * ```ts
 * checkSeed(7); // 7; checkSeed('abc') throws INVALID_OPTION
 * ```
 */
export function checkSeed<S extends SeedLike | undefined>(seed: S, name = 'seed'): S {
  if (seed !== undefined && !(seed instanceof Random) && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    fail('INVALID_OPTION', `${name}: received ${describe(seed)}, expected a finite number or a Random`);
  }
  return seed;
}
