// One Householder reflector applied from the right to a few rows (LAPACK dlarf, side R):
// the leaves of the LQ factorisation's panels (./lq.ts), where rows of thousands of
// entries meet a reflector one at a time (in TypeScript loops, 4 % of a 400 × 4096 SVD).
// The dot product keeps two partial sums, over the odd and the even offsets from 1 (the two
// lanes of an f64x2), so the WebAssembly kernel (src/wasm/assembly/reflect-rows.ts) gives
// the same bits; no fused multiply-add on either side.

/**
 * Each of `rows` rows x of X (len entries from offX + i·ld) ← x·(I − τ·v·vᵀ), for v (len
 * entries from offV, stride 1) with v[0] = 1 implicit (V[offV] is not read):
 * x ← x − τ·(x₀ + Σ_{c≥1} v_c·x_c)·v, the sum as (Σ over odd c) + (Σ over even c). X's rows
 * must not overlap v.
 *
 * @example
 * ```ts
 * const X = new Float64Array([3, 4]);
 * reflectRows(2, 1, new Float64Array([1, 0.5]), 0, X, 0, 2, 1.6); // H·(3, 4) = (−5, 0)
 * Array.from(X); // [-5, 0]
 * ```
 */
export function reflectRows(len: number, rows: number, V: Float64Array, offV: number, X: Float64Array, offX: number, ld: number, tau: number): void {
  for (let i = 0; i < rows; i++) {
    const px = offX + i * ld;
    const f = tau * (X[px]! + tail(len, V, offV, X, px));
    X[px] = X[px]! - f;
    for (let c = 1; c < len; c++) X[px + c] = X[px + c]! - f * V[offV + c]!;
  }
}

// Σ_{c≥1} v_c·x_c as (odd c) + (even c), a last odd term going to the first sum.
function tail(len: number, V: Float64Array, offV: number, X: Float64Array, px: number): number {
  let s0 = 0, s1 = 0, c = 1;
  for (; c + 2 <= len; c += 2) {
    s0 += V[offV + c]! * X[px + c]!;
    s1 += V[offV + c + 1]! * X[px + c + 1]!;
  }
  if (c < len) s0 += V[offV + c]! * X[px + c]!;
  return s0 + s1;
}
