import type { FloatArray } from '../../core/matrix.js';

// The dense layer's elementwise work around its GEMMs (latentspace/autodiff's `dense`), one
// pass each way: the bias and ReLU after x·W, and on the way back the ReLU's mask and the
// bias gradient. Twins of src/wasm/assembly/dense.ts (f32x4 and f64x2 lanes, branch-free,
// where these loops mispredict a branch per entry of random sign: 7 ns an entry in V8).
// Same bits: float32 sums are rounded where the Float32Array stores round (a float32 add),
// and ReLU is `v > 0 ? v : 0` on both (NaN and −0 give +0).

/**
 * Y ← Y + b, b added to every row, then max(·, 0) when `relu`: Y (m × n, contiguous), b (n).
 *
 * @example
 * ```ts
 * const Y = new Float64Array([1, -3]);
 * biasRelu(1, 2, Y, new Float64Array([1, 1]), true); // Y: [2, 0]
 * ```
 */
export function biasRelu<F extends FloatArray>(m: number, n: number, Y: F, b: F, relu: boolean): void {
  for (let i = 0, o = 0; i < m; i++) {
    for (let j = 0; j < n; j++, o++) {
      const v = Y[o]! + b[j]!;
      Y[o] = relu && !(v > 0) ? 0 : v;
    }
  }
}

/**
 * The backward pass of {@link biasRelu} from the output gradient g and the output y (both
 * m × n, contiguous): when `relu`, dz ← (y > 0 ? g : 0); unless `sums` is null, sums[j] +=
 * Σᵢ dz[i][j] (of g itself without `relu`), in float64, rows in order. `dz` is not touched
 * without `relu`.
 *
 * @example
 * ```ts
 * const dz = new Float64Array(2), sums = new Float64Array(2);
 * biasReluGrad(1, 2, new Float64Array([5, 7]), new Float64Array([2, 0]), true, dz, sums); // dz, sums: [5, 0]
 * ```
 */
export function biasReluGrad<F extends FloatArray>(m: number, n: number, g: F, y: F, relu: boolean, dz: F, sums: Float64Array | null): void {
  for (let i = 0, o = 0; i < m; i++) {
    for (let j = 0; j < n; j++, o++) {
      let d = g[o]!;
      if (relu) {
        if (!(y[o]! > 0)) d = 0;
        dz[o] = d;
      }
      if (sums !== null) sums[j]! += d;
    }
  }
}
