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
  scores(m, n, k, X, (i) => i * k, W, norms, scale, out);
}

/**
 * {@link quantizedScores} for the rows index[offIndex + i] (i < m) of X (nX × k): the rows
 * k-means' bounds leave in doubt, read where they lie.
 *
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * const x = new Int16Array(16).fill(1, 8), w = new Int16Array(8).fill(2);
 * quantizedScoresAt(1, 1, 8, x, 2, Int32Array.of(1), 0, w, Float64Array.of(100), 0.5, out); // out [92]
 * ```
 */
export function quantizedScoresAt(
  m: number, n: number, k: number, X: Int16Array, _nX: number, index: Int32Array, offIndex: number,
  W: Int16Array, norms: Float64Array, scale: number, out: Float32Array,
): void {
  scores(m, n, k, X, (i) => index[offIndex + i]! * k, W, norms, scale, out);
}

/** The scores of both kernels, row i of the call starting at X[rowAt(i)]. */
function scores(m: number, n: number, k: number, X: Int16Array, rowAt: (i: number) => number, W: Int16Array, norms: Float64Array, scale: number, out: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const xo = rowAt(i);
    for (let u = 0; u < n; u++) {
      const wo = u * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += X[xo + t]! * W[wo + t]!;
      out[i * n + u] = norms[u]! - scale * s;
    }
  }
}

/** Largest |entry| of an int16 copy. */
export const I16_MAX = 32767;

/**
 * round(x·s) when x lies on the grid of step 1/s, NaN when it does not. On the grid: x·s
 * rounds to an integer v in float64 (no division: all of MNIST's digits, on 1/1000), or x
 * is v / s rounded; either way |x − v/s| ≤ 2⁻⁵³|x|, the bound the screens' errors assume.
 * The one test of both copies (../quantize.ts gridRows, shiftToInt16; the WebAssembly
 * twin in src/wasm/assembly/quantized.ts).
 *
 * @example
 * ```ts
 * gridValue(0.188, 1000); // 188
 * gridValue(Math.PI, 1000); // NaN
 * ```
 */
export function gridValue(x: number, s: number): number {
  const y = x * s, v = Math.round(y);
  return y === v || v / s === x ? v : NaN;
}

/**
 * The int16 copy of X (m × d, float64) on the grid of step 1/s, with its rows' norms, in
 * one pass: Q[i·k + j] ← round(X[i][j]·s) (rows zero-padded to k ≥ d), sums[i] ← Σⱼ |Q[i][j]|,
 * norms[i] ← Σⱼ (X[i][j] − shift[j])² summed in the order of j (shiftToFloat32's norms, bit
 * for bit). Returns max |Q|, or −1 as soon as an entry is off the grid or beyond int16: Q,
 * sums and norms are then unspecified. On the grid: as {@link gridValue} decides.
 *
 * @example
 * ```ts
 * const Q = new Int16Array(8), sums = new Float64Array(1), norms = new Float64Array(1);
 * shiftToInt16(1, 2, Float64Array.of(0.188, 0.933), new Float64Array(2), 1000, Q, 8, sums, norms); // 933, Q [188, 933, 0, …], sums [1121]
 * ```
 */
export function shiftToInt16(m: number, d: number, X: Float64Array, shift: Float64Array, s: number, Q: Int16Array, k: number, sums: Float64Array, norms: Float64Array): number {
  let qmax = 0;
  for (let i = 0; i < m; i++) {
    let sum = 0, nn = 0;
    for (let j = 0, p = i * d, o = i * k; j < d; j++, p++, o++) {
      const x = X[p]!, v = gridValue(x, s), a = v < 0 ? -v : v;
      if (!(a <= I16_MAX)) return -1;
      Q[o] = v;
      sum += a;
      if (a > qmax) qmax = a;
      const u = x - shift[j]!;
      nn += u * u;
    }
    Q.fill(0, i * k + d, (i + 1) * k);
    sums[i] = sum;
    norms[i] = nn;
  }
  return qmax;
}
