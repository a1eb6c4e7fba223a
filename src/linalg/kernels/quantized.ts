// The integer screen: scores of rows against units from int16 copies of both, for the
// searches that look for the nearest unit (the SOM's winners; k-means could use it too).
// An i32x4.dot_i16x8_s does eight multiply-adds per instruction where f32x4 does four (no
// FMA in WebAssembly SIMD) and reads half the bytes. The caller picks scales so that no sum
// can leave the int32 range (Σₜ |x̂ₜ|·|ŵₜ| < 2³¹), so the integer dot products are exact, and
// exact in any order of additions: the WebAssembly twin (src/wasm/assembly/quantized.ts)
// gives these bits whatever its lanes add first.

/**
 * out[i·n + u] ← float32(norms[u] − scale · Σₜ X[i·k + t]·W[u·k + t]) for the m rows of X
 * (m × k) and the n rows of W (n × k), both int16, k a multiple of 8 (rows padded with
 * zeros). The dot product is an exact integer (the caller keeps Σₜ |X||W| below 2³¹), then
 * one multiply and one subtract in float64, stored in float32 (half the bytes for the
 * scan of the scores that follows; the caller's bound takes the rounding).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * const x = new Int16Array(8).fill(1), w = new Int16Array(16).fill(2);
 * quantizedScores(1, 2, 8, x, w, Float64Array.of(100, 50), 0.5, out); // out [92, 42]
 * ```
 */
export function quantizedScores(m: number, n: number, k: number, X: Int16Array, W: Int16Array, norms: Float64Array, scale: number, out: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const xo = i * k;
    for (let u = 0; u < n; u++) {
      const wo = u * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += X[xo + t]! * W[wo + t]!;
      out[i * n + u] = norms[u]! - scale * s;
    }
  }
}
