// The dense layer's elementwise passes (autodiff's `dense`), twins of
// src/linalg/kernels/dense.ts: four float32 or two float64 entries at a time, ReLU as
// pmax(0, v) (0 < v ? v : 0, the TypeScript loops' `v > 0 ? v : 0`) and its mask as an and
// with (y > 0), so no branch depends on the data. Float32 adds are float32 adds (the
// TypeScript loops round the same sums where they store), bias sums float64 in row order.

// @ts-ignore: decorator
@inline
function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

// @ts-ignore: decorator
@inline
function at<T>(p: usize, j: i32): usize {
  return p + (<usize>j << alignof<T>());
}

/** Y (m × n) ← Y + b per row, then max(·, 0) when relu. */
// @ts-ignore: decorator
@inline
function biasRelu<T>(m: i32, n: i32, y: usize, b: usize, relu: bool): void {
  const w = lanes<T>();
  const zero = v128.splat<T>(0);
  for (let i: i32 = 0; i < m; i++) {
    const row = at<T>(y, i * n);
    let j: i32 = 0;
    for (; j + w <= n; j += w) {
      let v = v128.add<T>(v128.load(at<T>(row, j)), v128.load(at<T>(b, j)));
      if (relu) v = v128.pmax<T>(zero, v);
      v128.store(at<T>(row, j), v);
    }
    for (; j < n; j++) {
      let v: T = load<T>(at<T>(row, j)) + load<T>(at<T>(b, j));
      if (relu && !(v > 0)) v = 0;
      store<T>(at<T>(row, j), v);
    }
  }
}

/** sums[j..j + lanes) += the lanes of d, widened to f64. */
// @ts-ignore: decorator
@inline
function addToSums<T>(sums: usize, j: i32, d: v128): void {
  const s = sums + (<usize>j << 3);
  if (sizeof<T>() == 4) {
    v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(d)));
    v128.store(s + 16, f64x2.add(v128.load(s + 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1))));
  } else {
    v128.store(s, f64x2.add(v128.load(s), d));
  }
}

/** dz ← (y > 0 ? g : 0) when relu; sums += column sums of dz (of g without relu), unless sums is 0. */
// @ts-ignore: decorator
@inline
function biasReluGrad<T>(m: i32, n: i32, g: usize, y: usize, relu: bool, dz: usize, sums: usize): void {
  const w = lanes<T>();
  const zero = v128.splat<T>(0);
  for (let i: i32 = 0; i < m; i++) {
    const o = i * n;
    let j: i32 = 0;
    for (; j + w <= n; j += w) {
      let d = v128.load(at<T>(g, o + j));
      if (relu) {
        d = v128.and(d, v128.gt<T>(v128.load(at<T>(y, o + j)), zero));
        v128.store(at<T>(dz, o + j), d);
      }
      if (sums != 0) addToSums<T>(sums, j, d);
    }
    for (; j < n; j++) {
      let d: T = load<T>(at<T>(g, o + j));
      if (relu) {
        if (!(load<T>(at<T>(y, o + j)) > 0)) d = 0;
        store<T>(at<T>(dz, o + j), d);
      }
      if (sums != 0) store<f64>(sums + (<usize>j << 3), load<f64>(sums + (<usize>j << 3)) + <f64>d);
    }
  }
}

/** Bias and ReLU over a float64 (m × n) block (see biasRelu). */
export function dbiasrelu(m: i32, n: i32, y: usize, b: usize, relu: i32): void {
  biasRelu<f64>(m, n, y, b, relu != 0);
}

/** Bias and ReLU over a float32 (m × n) block (see biasRelu). */
export function sbiasrelu(m: i32, n: i32, y: usize, b: usize, relu: i32): void {
  biasRelu<f32>(m, n, y, b, relu != 0);
}

/** Their backward pass, float64 (see biasReluGrad). */
export function dbiasrelugrad(m: i32, n: i32, g: usize, y: usize, relu: i32, dz: usize, sums: usize): void {
  biasReluGrad<f64>(m, n, g, y, relu != 0, dz, sums);
}

/** Their backward pass, float32, the sums float64 (see biasReluGrad). */
export function sbiasrelugrad(m: i32, n: i32, g: usize, y: usize, relu: i32, dz: usize, sums: usize): void {
  biasReluGrad<f32>(m, n, g, y, relu != 0, dz, sums);
}
