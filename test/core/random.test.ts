import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatentSpaceError, Random } from '../../src/core/index.js';
import { randomFrom } from '../../src/core/random.js';

describe('Random (xoshiro128**)', () => {
  /** xoshiro128** as in the reference C code (prng.di.unimi.it/xoshiro128starstar.c), in BigInt: one step of state s, its output. */
  function referenceNext(s: bigint[]): number {
    const M = 0xffffffffn;
    const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
    const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11n);
    return Number(result);
  }

  /**
   * The state our seeding gives, written out in BigInt: SplitMix32 (the golden-ratio Weyl
   * sequence x_k = seed + k·0x9e3779b9 mod 2³², k = 1 … 4, each mixed by MurmurHash3's
   * 32-bit finaliser fmix32), from the integer part of the seed mod 2³².
   */
  function referenceState(seed: number): bigint[] {
    const M = 0xffffffffn;
    const fmix32 = (h: bigint): bigint => {
      h ^= h >> 16n;
      h = (h * 0x85ebca6bn) & M;
      h ^= h >> 13n;
      h = (h * 0xc2b2ae35n) & M;
      return h ^ (h >> 16n);
    };
    const x = BigInt.asUintN(32, BigInt(Math.trunc(seed)));
    return [1n, 2n, 3n, 4n].map((k) => fmix32((x + k * 0x9e3779b9n) & M));
  }

  type State = { s0: number; s1: number; s2: number; s3: number };
  const stateOf = (rng: Random): number[] => {
    const s = rng as unknown as State;
    return [s.s0, s.s1, s.s2, s.s3].map((v) => v >>> 0);
  };

  it('matches published xoshiro128** output for a known state', () => {
    // Made with the reference C implementation: edorfaus/xoshiro-6502, test-rom/testdata.asm
    // (VerifyStatesXoshiro128, and the starstar column of VerifyValuesXoshiro128).
    const rng = new Random(0);
    Object.assign(rng as unknown as State, { s0: 0x964d4a0c, s1: 0xd40ab895, s2: 0xad7fdecb, s3: 0x3006f0f0 });
    expect([rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()]).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
    expect(stateOf(rng)).toEqual([0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343]);
  });

  it('seeds through SplitMix32 and then follows the reference xoshiro128**, for any seed', () => {
    for (const seed of [0, 1, 42, 3.9, -1, 2 ** 32 - 1, 2 ** 32 + 5, -7.5, 1e20]) {
      const rng = new Random(seed);
      const s = referenceState(seed);
      expect(stateOf(rng)).toEqual(s.map(Number));
      for (let i = 0; i < 1000; i++) expect(rng.uint32()).toBe(referenceNext(s));
    }
  });

  it('is reproducible by seed and differs between seeds', () => {
    const a = new Random(7), b = new Random(7), c = new Random(8);
    const xs = Array.from({ length: 20 }, () => a.uniform());
    expect(Array.from({ length: 20 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.uniform())).not.toEqual(xs);
    expect(randomFrom(undefined).uint32()).toBe(new Random(0).uint32());
    const shared = new Random(3);
    expect(randomFrom(shared)).toBe(shared);
  });

  it('uniform lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Random(11);
    const n = 200_000;
    let sum = 0, sq = 0, outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    // Standard error of the mean is sqrt(1/12 / n) ≈ 6.5e-4; allow 5 standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });

  it('normal has mean 0, variance 1 and the right tail mass', () => {
    const rng = new Random(5);
    const n = 200_000;
    let sum = 0, sq = 0, beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
      if (Math.abs(z) > 2) beyond2++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.012);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.015);
    // P(|Z| > 2) = 0.0455 for a standard normal.
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.003);
  });

  it('int(n) is uniform over [0, n) (chi-square) and rejects bad n', () => {
    const rng = new Random(2);
    const n = 7, draws = 70_000;
    const counts = new Array(n).fill(0);
    for (let i = 0; i < draws; i++) counts[rng.int(n)]++;
    const expected = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(22.5); // 6 degrees of freedom, p ≈ 0.001
    expect(() => rng.int(0)).toThrow(LatentSpaceError);
    expect(() => rng.int(1.5)).toThrow(LatentSpaceError);
  });

  it('shuffle is a permutation and sampleWithoutReplacement gives distinct indices (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, frac) => {
        const rng = new Random(seed);
        const a = Array.from({ length: n }, (_, i) => i);
        expect(rng.shuffle(a.slice()).sort((x, y) => x - y)).toEqual(a);
        const k = Math.floor(frac * n);
        const s = rng.sampleWithoutReplacement(n, k);
        expect(s.length).toBe(k);
        expect(new Set(s).size).toBe(k);
        for (const v of s) expect(v >= 0 && v < n).toBe(true);
      }),
    );
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Random(NaN)).toThrow(/seed/);
    expect(() => randomFrom('x' as never)).toThrow(LatentSpaceError);
  });
});
