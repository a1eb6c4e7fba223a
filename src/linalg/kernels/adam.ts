import type { FloatArray } from '../../core/matrix.js';

/**
 * One Adam step (torch.optim.Adam's rule) over n contiguous entries, in place:
 * d = g + λp; m ← m + (1 − β₁)(d − m); v ← β₂v + (1 − β₂)d²;
 * p ← p − s · m / (√v · c + ε), with s = η / (1 − β₁ᵗ) and c = 1 / √(1 − β₂ᵗ).
 * Float64 arithmetic for float64 parameters; float32 arithmetic for float32 ones, as
 * PyTorch's float32 tensors do (see {@link adamF32}). The WebAssembly kernels
 * (src/wasm/assembly/optim.ts) give the same bits.
 */
export function adam<F extends FloatArray>(
  n: number, p: F, g: F, m: F, v: F, stepSize: number, invCorrection2: number,
  beta1: number, beta2: number, epsilon: number, weightDecay: number,
): void {
  if (p instanceof Float32Array) {
    adamF32(n, p, g as Float32Array, m as Float32Array, v as Float32Array, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
    return;
  }
  const o1 = 1 - beta1, o2 = 1 - beta2;
  for (let j = 0; j < n; j++) {
    const pj = p[j]!;
    const d = g[j]! + weightDecay * pj;
    const m0 = m[j]!;
    m[j] = m0 + o1 * (d - m0);
    v[j] = beta2 * v[j]! + o2 * (d * d);
    p[j] = pj - stepSize * (m[j]! / (Math.sqrt(v[j]!) * invCorrection2 + epsilon));
  }
}

const f = Math.fround;

/**
 * {@link adam} in float32 arithmetic, the constants rounded to float32 first: every
 * operation a double operation on float32 values rounded by Math.fround, which for +, −, ×,
 * ÷ and √ is the float32 result exactly (a double holds more than twice float32's
 * precision), so the WebAssembly kernel's f32x4 lanes give the same bits. Four lanes, and
 * float32 √ and ÷ (in float64 these two bounded the step: 2.3 ns a parameter, 1.1 ns now,
 * which is what reading and writing the four arrays costs).
 */
function adamF32(
  n: number, p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, stepSize: number, invCorrection2: number,
  beta1: number, beta2: number, epsilon: number, weightDecay: number,
): void {
  const o1 = f(1 - beta1), o2 = f(1 - beta2), b2 = f(beta2), s = f(stepSize), c = f(invCorrection2), eps = f(epsilon), wd = f(weightDecay);
  for (let j = 0; j < n; j++) {
    const pj = p[j]!;
    const d = f(g[j]! + f(wd * pj));
    const m0 = m[j]!;
    const m1 = f(m0 + f(o1 * f(d - m0)));
    const v1 = f(f(b2 * v[j]!) + f(o2 * f(d * d)));
    m[j] = m1;
    v[j] = v1;
    p[j] = f(pj - f(s * f(m1 / f(f(f(Math.sqrt(v1)) * c) + eps))));
  }
}
