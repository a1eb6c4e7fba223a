import type { FloatArray } from '../../core/matrix.js';

/**
 * One Adam step (torch.optim.Adam's rule) over n contiguous entries, in place:
 * d = g + λp; m ← m + (1 − β₁)(d − m); v ← β₂v + (1 − β₂)d²;
 * p ← p − s · m / (√v · c + ε), with s = η / (1 − β₁ᵗ) and c = 1 / √(1 − β₂ᵗ).
 * Arithmetic in float64; float32 state rounds where it is stored (and is read back), as
 * PyTorch's stored tensors do. The WebAssembly kernel (src/wasm/assembly/optim.ts) gives
 * the same bits.
 */
export function adam<F extends FloatArray>(
  n: number, p: F, g: F, m: F, v: F, stepSize: number, invCorrection2: number,
  beta1: number, beta2: number, epsilon: number, weightDecay: number,
): void {
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
