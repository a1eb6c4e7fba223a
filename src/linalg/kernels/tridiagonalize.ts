import { householder } from './reflectors.js';

/**
 * Reduces the symmetric A (n × n, row-major at offset `offA` with leading dimension `lda`;
 * only the upper triangle is read) to tridiagonal form Qᵀ·A·Q = T with
 * Q = H₀H₁⋯H_{n−2}, LAPACK dsytd2-style. On return d (n) and e (n − 1) hold T's diagonal
 * and off-diagonal, and row k of A holds reflector k (unit entry, stored as 1, at column
 * k + 1, the rest after it), with τ in `tau` (n − 1). The rest of the upper triangle is
 * overwritten; the lower triangle is not touched. The TypeScript kernel of
 * `Kernels.tridiagonalize`.
 *
 * Each step's rank-2 update of the trailing matrix is fused with the next step's
 * symmetric matrix-vector product, so the trailing upper triangle is streamed once per
 * step instead of twice, four rows at a time (the shared vectors are then loaded once
 * per four rows: 65 → 57 ms at n = 673 against two rows).
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.3.1
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 3, 4, 3, 1, 0, 4, 0, 1]);
 * const d = new Float64Array(3), e = new Float64Array(2), tau = new Float64Array(2);
 * tridiagonalize(3, A, 0, 3, d, e, tau);
 * [d[0], e[0]]; // [1, -5]: the first row's (3, 4) is reflected onto (−5, 0)
 * ```
 */
export function tridiagonalize(n: number, A: Float64Array, offA: number, lda: number, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  const w = new Float64Array(n);
  const p = new Float64Array(n);
  let vOff = -1; // start of the row holding the reflector whose update is still pending, or −1
  for (let k = 0; k < n; k++) {
    const rowK = offA + k * lda;
    if (vOff >= 0) updateRow(k, n, A, rowK, vOff, w);
    d[k] = A[rowK + k]!;
    if (k === n - 1) break;
    const t = k < n - 2 ? householder(n - k - 1, A, rowK + k + 1, 1) : 0;
    tau[k] = t;
    e[k] = A[rowK + k + 1]!;
    A[rowK + k + 1] = 1; // row k now reads as the full reflector vector u (u[k+1] = 1)
    if (t !== 0) p.fill(0, k + 1, n);
    if (vOff >= 0 && t !== 0) {
      let i = k + 1;
      for (; i + 3 < n; i += 4) updateFourRowsAndMultiply(i, n, A, offA + i * lda, lda, vOff, w, rowK, p);
      for (; i + 1 < n; i += 2) updateTwoRowsAndMultiply(i, n, A, offA + i * lda, lda, vOff, w, rowK, p);
      if (i < n) updateRowAndMultiply(i, n, A, offA + i * lda, vOff, w, rowK, p);
    } else {
      for (let i = k + 1; i < n; i++) {
        if (vOff >= 0) updateRow(i, n, A, offA + i * lda, vOff, w);
        else if (t !== 0) multiplyRow(i, n, A, offA + i * lda, rowK, p);
      }
    }
    if (t === 0) {
      vOff = -1;
      continue;
    }
    // p = τ·B·u; w = p − (τ/2)(pᵀu)·u, so that H·B·H = B − u·wᵀ − w·uᵀ.
    let pu = 0;
    for (let j = k + 1; j < n; j++) {
      p[j] = t * p[j]!;
      pu += p[j]! * A[rowK + j]!;
    }
    const alpha = -0.5 * t * pu;
    for (let j = k + 1; j < n; j++) w[j] = p[j]! + alpha * A[rowK + j]!;
    vOff = rowK;
  }
}

// Row i (starting at `row`), columns i … n−1, of the pending update B −= v·wᵀ + w·vᵀ
// (v = the row of A starting at vOff).
function updateRow(i: number, n: number, A: Float64Array, row: number, vOff: number, w: Float64Array): void {
  const vi = A[vOff + i]!, wi = w[i]!;
  for (let j = i; j < n; j++) A[row + j] = A[row + j]! - vi * w[j]! - wi * A[vOff + j]!;
}

// Row i of the symmetric product p += B·u, reading B's upper triangle only: entry (i, j)
// contributes to p[i] through u[j] and to p[j] through u[i].
function multiplyRow(i: number, n: number, A: Float64Array, row: number, uOff: number, p: Float64Array): void {
  const ui = A[uOff + i]!;
  let acc = A[row + i]! * ui;
  for (let j = i + 1; j < n; j++) {
    const a = A[row + j]!;
    acc += a * A[uOff + j]!;
    p[j] = p[j]! + a * ui;
  }
  p[i] = p[i]! + acc;
}

// updateRow and multiplyRow in one pass over the row.
function updateRowAndMultiply(i: number, n: number, A: Float64Array, row: number, vOff: number, w: Float64Array, uOff: number, p: Float64Array): void {
  const vi = A[vOff + i]!, wi = w[i]!, ui = A[uOff + i]!;
  let a = A[row + i]! - 2 * vi * wi;
  A[row + i] = a;
  let acc = a * ui;
  for (let j = i + 1; j < n; j++) {
    a = A[row + j]! - vi * w[j]! - wi * A[vOff + j]!;
    A[row + j] = a;
    acc += a * A[uOff + j]!;
    p[j] = p[j]! + a * ui;
  }
  p[i] = p[i]! + acc;
}

// updateRowAndMultiply on rows i and i + 1 (starting at r0 and r0 + lda) together: the
// vectors v, w, u and p are loaded once for both rows, which is what bounds this loop.
function updateTwoRowsAndMultiply(i: number, n: number, A: Float64Array, r0: number, lda: number, vOff: number, w: Float64Array, uOff: number, p: Float64Array): void {
  const r1 = r0 + lda;
  const v0 = A[vOff + i]!, w0 = w[i]!, u0 = A[uOff + i]!;
  const v1 = A[vOff + i + 1]!, w1 = w[i + 1]!, u1 = A[uOff + i + 1]!;
  let a = A[r0 + i]! - 2 * v0 * w0;
  A[r0 + i] = a;
  let acc0 = a * u0;
  a = A[r0 + i + 1]! - v0 * w1 - w0 * v1;
  A[r0 + i + 1] = a;
  acc0 += a * u1;
  let acc1 = a * u0;
  a = A[r1 + i + 1]! - 2 * v1 * w1;
  A[r1 + i + 1] = a;
  acc1 += a * u1;
  for (let j = i + 2; j < n; j++) {
    const wj = w[j]!, vj = A[vOff + j]!, uj = A[uOff + j]!;
    const a0 = A[r0 + j]! - v0 * wj - w0 * vj;
    const a1 = A[r1 + j]! - v1 * wj - w1 * vj;
    A[r0 + j] = a0;
    A[r1 + j] = a1;
    acc0 += a0 * uj;
    acc1 += a1 * uj;
    p[j] = p[j]! + a0 * u0 + a1 * u1;
  }
  p[i] = p[i]! + acc0;
  p[i + 1] = p[i + 1]! + acc1;
}

// updateTwoRowsAndMultiply on rows i … i + 3 (starting at r0, r0 + lda, …): the 4 × 4
// block on the diagonal first, then the rest of the four rows together.
function updateFourRowsAndMultiply(i: number, n: number, A: Float64Array, r0: number, lda: number, vOff: number, w: Float64Array, uOff: number, p: Float64Array): void {
  const r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
  const v0 = A[vOff + i]!, w0 = w[i]!, u0 = A[uOff + i]!;
  const v1 = A[vOff + i + 1]!, w1 = w[i + 1]!, u1 = A[uOff + i + 1]!;
  const v2 = A[vOff + i + 2]!, w2 = w[i + 2]!, u2 = A[uOff + i + 2]!;
  const v3 = A[vOff + i + 3]!, w3 = w[i + 3]!, u3 = A[uOff + i + 3]!;
  let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
  let a = A[r0 + i]! - 2 * v0 * w0; A[r0 + i] = a; acc0 += a * u0;
  a = A[r0 + i + 1]! - v0 * w1 - w0 * v1; A[r0 + i + 1] = a; acc0 += a * u1; acc1 += a * u0;
  a = A[r0 + i + 2]! - v0 * w2 - w0 * v2; A[r0 + i + 2] = a; acc0 += a * u2; acc2 += a * u0;
  a = A[r0 + i + 3]! - v0 * w3 - w0 * v3; A[r0 + i + 3] = a; acc0 += a * u3; acc3 += a * u0;
  a = A[r1 + i + 1]! - 2 * v1 * w1; A[r1 + i + 1] = a; acc1 += a * u1;
  a = A[r1 + i + 2]! - v1 * w2 - w1 * v2; A[r1 + i + 2] = a; acc1 += a * u2; acc2 += a * u1;
  a = A[r1 + i + 3]! - v1 * w3 - w1 * v3; A[r1 + i + 3] = a; acc1 += a * u3; acc3 += a * u1;
  a = A[r2 + i + 2]! - 2 * v2 * w2; A[r2 + i + 2] = a; acc2 += a * u2;
  a = A[r2 + i + 3]! - v2 * w3 - w2 * v3; A[r2 + i + 3] = a; acc2 += a * u3; acc3 += a * u2;
  a = A[r3 + i + 3]! - 2 * v3 * w3; A[r3 + i + 3] = a; acc3 += a * u3;
  for (let j = i + 4; j < n; j++) {
    const wj = w[j]!, vj = A[vOff + j]!, uj = A[uOff + j]!;
    const a0 = A[r0 + j]! - v0 * wj - w0 * vj;
    const a1 = A[r1 + j]! - v1 * wj - w1 * vj;
    const a2 = A[r2 + j]! - v2 * wj - w2 * vj;
    const a3 = A[r3 + j]! - v3 * wj - w3 * vj;
    A[r0 + j] = a0;
    A[r1 + j] = a1;
    A[r2 + j] = a2;
    A[r3 + j] = a3;
    acc0 += a0 * uj;
    acc1 += a1 * uj;
    acc2 += a2 * uj;
    acc3 += a3 * uj;
    p[j] = p[j]! + ((a0 * u0 + a1 * u1) + (a2 * u2 + a3 * u3));
  }
  p[i] = p[i]! + acc0;
  p[i + 1] = p[i + 1]! + acc1;
  p[i + 2] = p[i + 2]! + acc2;
  p[i + 3] = p[i + 3]! + acc3;
}
