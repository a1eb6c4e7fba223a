// Squared Fisher-Rao distances between diagonal Gaussians (latentspace/interp): the
// TypeScript kernel, twin of src/wasm/assembly/fisher-rao.ts (which takes two coordinates
// at a time with a vectorised logarithm; the two agree to rounding, not bit for bit).

/**
 * Σⱼ of the squared Fisher-Rao distances of the univariate coordinates j of two diagonal
 * Gaussians stored at offsets o0 and o1 (means m, variances v):
 * d_j = √2 · arccosh(1 + ((Δμ)²/2 + (Δσ)²)/(2σ0σ1)), with arccosh(1 + z) = ln(1 + u),
 * u = z + √(z(z + 2)), and ln(1 + u) = ln w · u/(w − 1) for w = 1 + u (accurate for small u).
 * Written out in one loop: a call per coordinate costs a third of the batch. A variance ≤ 0
 * gives NaN or ∞ (callers check their results).
 *
 * @example
 * ```ts
 * const v = new Float64Array([1]);
 * fisherRaoRowSq(1, new Float64Array([0]), v, 0, new Float64Array([0]), v, 0); // 0
 * ```
 */
export function fisherRaoRowSq(d: number, m0: Float64Array, v0: Float64Array, o0: number, m1: Float64Array, v1: Float64Array, o1: number): number {
  return rowSq(d, m0, v0, o0, m1, v1, o1, false);
}

/**
 * {@link fisherRaoRowSq} with the second Gaussian's variances in w1, or, when sd1, their
 * square roots (the same bits: √ is correctly rounded), which a batch against one
 * reference takes once instead of once per row.
 */
function rowSq(d: number, m0: Float64Array, v0: Float64Array, o0: number, m1: Float64Array, w1: Float64Array, o1: number, sd1: boolean): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const s0 = Math.sqrt(v0[o0 + j]!), s1 = sd1 ? w1[o1 + j]! : Math.sqrt(w1[o1 + j]!);
    const dm = m0[o0 + j]! - m1[o1 + j]!, ds = s0 - s1;
    // Divided by σ0 and σ1 in turn: their product is subnormal (11 bits left at 1e-320)
    // for variances near 1e-160, their quotients are not.
    const z = (0.5 * dm * dm + ds * ds) / (2 * s0) / s1;
    const u = z < 1e150 ? z + Math.sqrt(z * (z + 2)) : 2 * z; // z(z + 2) would overflow
    const w = 1 + u;
    const D = w === 1 ? u : Math.log(w) * (u / (w - 1));
    s += D * D;
  }
  return 2 * s;
}

/**
 * out[i] = {@link fisherRaoRowSq} of row i of (m0, v0) (n × d, contiguous) against row i of
 * (m1, v1) when step1 = d, or against their single row when step1 = 0 (whose square roots
 * are then taken once).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * fisherRaoDiagonalSq(2, 1, new Float64Array([0, 1]), new Float64Array([1, 1]), new Float64Array([0]), new Float64Array([1]), 0, out);
 * ```
 */
export function fisherRaoDiagonalSq(n: number, d: number, m0: Float64Array, v0: Float64Array, m1: Float64Array, v1: Float64Array, step1: number, out: Float64Array): void {
  const sd1 = step1 === 0, w1 = sd1 ? v1.subarray(0, d).map(Math.sqrt) : v1;
  for (let i = 0; i < n; i++) out[i] = rowSq(d, m0, v0, i * d, m1, w1, i * step1, sd1);
}
