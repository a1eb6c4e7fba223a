// Matrix-vector products for the panels of the blocked bidiagonalisation (./bidiagonalize.ts),
// where they are half the flops and all of the TypeScript time. The summation order is
// fixed so that the WebAssembly kernel (src/wasm/assembly/gemv.ts) gives the same bits:
// Aᵀ·x adds four rows at a time, ((x₀a₀ + x₁a₁) + (x₂a₂ + x₃a₃)), into each entry of y;
// A·x keeps two partial sums per row, over even and over odd offsets (the two lanes of an
// f64x2), added at the end.

/**
 * y ← op(A)·x (float64): with `trans`, y (n) = Aᵀ·x for x (m); else y (m) = A·x for x (n);
 * A (m × n) at offA with leading dimension lda, x with stride incX, y contiguous at offY.
 *
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * gemv(true, 2, 2, new Float64Array([1, 2, 3, 4]), 0, 2, new Float64Array([1, 1]), 0, 1, y, 0);
 * Array.from(y); // [4, 6]
 * ```
 */
export function gemv(
  trans: boolean, m: number, n: number, A: Float64Array, offA: number, lda: number,
  x: Float64Array, offX: number, incX: number, y: Float64Array, offY: number,
): void {
  if (trans) combineRows(m, n, A, offA, lda, x, offX, incX, y, offY);
  else dotRows(m, n, A, offA, lda, x, offX, incX, y, offY);
}

// y = Σ_r x_r·A[r, :], four rows per pass over y.
function combineRows(m: number, n: number, A: Float64Array, offA: number, lda: number, x: Float64Array, offX: number, incX: number, y: Float64Array, offY: number): void {
  y.fill(0, offY, offY + n);
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const r0 = offA + r * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
    const u0 = x[offX + r * incX]!, u1 = x[offX + (r + 1) * incX]!, u2 = x[offX + (r + 2) * incX]!, u3 = x[offX + (r + 3) * incX]!;
    for (let c = 0; c < n; c++) y[offY + c] = y[offY + c]! + (u0 * A[r0 + c]! + u1 * A[r1 + c]! + (u2 * A[r2 + c]! + u3 * A[r3 + c]!));
  }
  for (; r < m; r++) {
    const row = offA + r * lda, u = x[offX + r * incX]!;
    for (let c = 0; c < n; c++) y[offY + c] = y[offY + c]! + u * A[row + c]!;
  }
}

// y_r = A[r, :]·x, two rows per pass over x, each as (even-offset sum) + (odd-offset sum).
function dotRows(m: number, n: number, A: Float64Array, offA: number, lda: number, x: Float64Array, offX: number, incX: number, y: Float64Array, offY: number): void {
  let r = 0;
  for (; r + 2 <= m; r += 2) {
    const p = offA + r * lda, q = p + lda;
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0, c = 0;
    for (; c + 2 <= n; c += 2) {
      const v0 = x[offX + c * incX]!, v1 = x[offX + (c + 1) * incX]!;
      a0 += A[p + c]! * v0;
      a1 += A[p + c + 1]! * v1;
      b0 += A[q + c]! * v0;
      b1 += A[q + c + 1]! * v1;
    }
    if (c < n) {
      const v = x[offX + c * incX]!;
      a0 += A[p + c]! * v;
      b0 += A[q + c]! * v;
    }
    y[offY + r] = a0 + a1;
    y[offY + r + 1] = b0 + b1;
  }
  if (r < m) {
    const p = offA + r * lda;
    let a0 = 0, a1 = 0, c = 0;
    for (; c + 2 <= n; c += 2) {
      a0 += A[p + c]! * x[offX + c * incX]!;
      a1 += A[p + c + 1]! * x[offX + (c + 1) * incX]!;
    }
    if (c < n) a0 += A[p + c]! * x[offX + c * incX]!;
    y[offY + r] = a0 + a1;
  }
}
