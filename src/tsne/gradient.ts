// The two halves of the t-SNE gradient (van der Maaten 2014, eq. 5):
//   ∂C/∂yᵢ = 4 Σⱼ (pᵢⱼ − qᵢⱼ) wᵢⱼ (yᵢ − yⱼ),  wᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²),  qᵢⱼ = wᵢⱼ / Z,
// split into an attractive part over the sparse P and a repulsive part Σⱼ wᵢⱼ² (yᵢ − yⱼ) / Z
// that the exact, Barnes-Hut and FFT methods each approximate differently.

import { rowSqDistance } from '../linalg/rows.js';
import type { Csr } from './affinities.js';


/**
 * The strict upper triangle of a symmetric P (the entries with j > i), in CSR form: each
 * pair once, so that the attractive forces cost half the divisions and loads.
 *
 * @example
 * ```ts
 * const U = upperTriangle(P); // U.val.length = (P.val.length − zeros on the diagonal) / 2
 * ```
 */
export function upperTriangle(P: Csr): Csr {
  const { n, rowPtr, col, val } = P;
  const ptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) if (col[e]! > i) nnz++;
    ptr[i + 1] = nnz;
  }
  const c = new Int32Array(nnz), v = new Float64Array(nnz);
  for (let i = 0, t = 0; i < n; i++) {
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) {
      if (col[e]! > i) {
        c[t] = col[e]!;
        v[t++] = val[e]!;
      }
    }
  }
  return { n, rowPtr: ptr, col: c, val: v };
}

/**
 * Attractive forces, out[i] = scale · Σⱼ pᵢⱼ wᵢⱼ (yᵢ − yⱼ), from the strict upper triangle
 * U of the symmetric P ({@link upperTriangle}): each stored pair acts on both of its
 * points, equal and opposite (one pass over the CSR arrays; `scale` is the exaggeration).
 * Any dimension; 2-D maps use the backend kernel `tsneAttraction2` instead.
 *
 * @param Y - (n × dim) embedding, row-major
 * @param out - (n × dim), overwritten
 *
 * @example
 * ```ts
 * attractive(upperTriangle(P), Y, 3, 12, out); // early exaggeration 12
 * ```
 */
export function attractive(U: Csr, Y: Float64Array, dim: number, scale: number, out: Float64Array): void {
  const { n, rowPtr, col, val } = U;
  out.fill(0, 0, n * dim);
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]!, end = rowPtr[i + 1]!; e < end; e++) {
      const j = col[e]!;
      const pw = val[e]! / (1 + rowSqDistance(Y, i, Y, j, dim));
      for (let c = 0; c < dim; c++) {
        const g = pw * (Y[i * dim + c]! - Y[j * dim + c]!);
        out[i * dim + c] = out[i * dim + c]! + g;
        out[j * dim + c] = out[j * dim + c]! - g;
      }
    }
  }
  if (scale !== 1) for (let p = 0; p < n * dim; p++) out[p] = out[p]! * scale;
}

/**
 * Σᵢⱼ pᵢⱼ log(1 + ‖yᵢ − yⱼ‖²) over the stored entries: with Σ p log p and log Z, the
 * KL divergence KL(P‖Q) = Σ p log p + Σ p log(1 + d²) + log Z (P sums to 1).
 *
 * @example
 * ```ts
 * const kl = pLogP + attractiveCost(P, Y, 2) + Math.log(Z);
 * ```
 */
export function attractiveCost(P: Csr, Y: Float64Array, dim: number): number {
  const { n, rowPtr, col, val } = P;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]!, end = rowPtr[i + 1]!; e < end; e++) {
      cost += val[e]! * Math.log1p(rowSqDistance(Y, i, Y, col[e]!, dim));
    }
  }
  return cost;
}

/**
 * Σ p log p over the stored entries (the constant part of the KL divergence).
 *
 * @example
 * ```ts
 * entropyTerm(P); // ≤ 0
 * ```
 */
export function entropyTerm(P: Csr): number {
  let s = 0;
  for (const p of P.val) if (p > 0) s += p * Math.log(p);
  return s;
}

/**
 * Exact repulsion over all pairs, O(n²): out[i] = Σⱼ wᵢⱼ² (yᵢ − yⱼ) (not yet divided by
 * Z); returns Z = Σ_{i≠j} wᵢⱼ.
 *
 * @example
 * ```ts
 * const Z = exactRepulsion(Y, n, 2, out);
 * ```
 */
export function exactRepulsion(Y: Float64Array, n: number, dim: number, out: Float64Array): number {
  out.fill(0, 0, n * dim);
  let Z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = 1 / (1 + rowSqDistance(Y, i, Y, j, dim));
      Z += 2 * w;
      const w2 = w * w;
      for (let c = 0; c < dim; c++) {
        const f = w2 * (Y[i * dim + c]! - Y[j * dim + c]!);
        out[i * dim + c] = out[i * dim + c]! + f;
        out[j * dim + c] = out[j * dim + c]! - f;
      }
    }
  }
  return Z;
}
