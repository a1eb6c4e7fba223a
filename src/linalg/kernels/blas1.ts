import type { FloatArray } from '../../core/matrix.js';

/** Σ x[i]·y[i] over n strided entries (stdlib-style (array, stride, offset) addressing). */
export function dot<F extends FloatArray>(n: number, x: F, strideX: number, offX: number, y: F, strideY: number, offY: number): number {
  let s = 0;
  for (let i = 0, ix = offX, iy = offY; i < n; i++, ix += strideX, iy += strideY) s += x[ix]! * y[iy]!;
  return s;
}

/** y ← alpha · x + y over n strided entries. */
export function axpy<F extends FloatArray>(n: number, alpha: number, x: F, strideX: number, offX: number, y: F, strideY: number, offY: number): void {
  if (alpha === 0) return;
  for (let i = 0, ix = offX, iy = offY; i < n; i++, ix += strideX, iy += strideY) y[iy] = y[iy]! + alpha * x[ix]!;
}
