// Float64 matrix-vector products (dgemv) for the panels of the blocked bidiagonalisation.
// It mirrors src/linalg/kernels/gemv.ts operation for operation, so the bits are the same:
// Aᵀ·x adds four rows at a time, ((x₀a₀ + x₁a₁) + (x₂a₂ + x₃a₃)), into each entry of y
// (two entries per f64x2); A·x keeps the sums over even and odd offsets in the two lanes
// of an f64x2 (no fused multiply-add), added at the end.
//
// Pointers are byte addresses; the leading dimension and the stride are in elements.

/**
 * y ← op(A)·x: with trans, y (n) = Aᵀ·x for x (m); else y (m) = A·x for x (n); A (m × n)
 * with leading dimension lda, x with stride incx, y contiguous.
 */
export function dgemv(trans: i32, m: i32, n: i32, a: usize, lda: i32, x: usize, incx: i32, y: usize): void {
  if (trans) combineRows(m, n, a, <usize>lda << 3, x, <usize>incx << 3, y);
  else dotRows(m, n, a, <usize>lda << 3, x, <usize>incx << 3, y);
}

function combineRows(m: i32, n: i32, a: usize, row: usize, x: usize, step: usize, y: usize): void {
  memory.fill(y, 0, <usize>n << 3);
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const r0 = a + <usize>r * row, r1 = r0 + row, r2 = r1 + row, r3 = r2 + row;
    const s0 = load<f64>(x + <usize>r * step), s1 = load<f64>(x + <usize>(r + 1) * step);
    const s2 = load<f64>(x + <usize>(r + 2) * step), s3 = load<f64>(x + <usize>(r + 3) * step);
    const u0 = f64x2.splat(s0), u1 = f64x2.splat(s1), u2 = f64x2.splat(s2), u3 = f64x2.splat(s3);
    let c = 0;
    for (; c + 2 <= n; c += 2) {
      const o = <usize>c << 3;
      const t = f64x2.add(
        f64x2.add(f64x2.mul(u0, v128.load(r0 + o)), f64x2.mul(u1, v128.load(r1 + o))),
        f64x2.add(f64x2.mul(u2, v128.load(r2 + o)), f64x2.mul(u3, v128.load(r3 + o))),
      );
      v128.store(y + o, f64x2.add(v128.load(y + o), t));
    }
    if (c < n) {
      const o = <usize>c << 3;
      store<f64>(y + o, load<f64>(y + o) + (s0 * load<f64>(r0 + o) + s1 * load<f64>(r1 + o) + (s2 * load<f64>(r2 + o) + s3 * load<f64>(r3 + o))));
    }
  }
  for (; r < m; r++) {
    const p = a + <usize>r * row, s = load<f64>(x + <usize>r * step), u = f64x2.splat(s);
    let c = 0;
    for (; c + 2 <= n; c += 2) {
      const o = <usize>c << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(u, v128.load(p + o))));
    }
    if (c < n) store<f64>(y + (<usize>c << 3), load<f64>(y + (<usize>c << 3)) + s * load<f64>(p + (<usize>c << 3)));
  }
}

// The even/odd pair of x at column c (stride `step`), as one f64x2.
// @ts-ignore: decorator
@inline function pairOf(x: usize, c: i32, step: usize): v128 {
  return step == 8 ? v128.load(x + (<usize>c << 3)) : f64x2.replace_lane(f64x2.splat(load<f64>(x + <usize>c * step)), 1, load<f64>(x + <usize>(c + 1) * step));
}

function dotRows(m: i32, n: i32, a: usize, row: usize, x: usize, step: usize, y: usize): void {
  let r = 0;
  for (; r + 2 <= m; r += 2) {
    const p = a + <usize>r * row, q = p + row;
    let sa = f64x2.splat(0), sb = f64x2.splat(0);
    let c = 0;
    for (; c + 2 <= n; c += 2) {
      const v = pairOf(x, c, step), o = <usize>c << 3;
      sa = f64x2.add(sa, f64x2.mul(v128.load(p + o), v));
      sb = f64x2.add(sb, f64x2.mul(v128.load(q + o), v));
    }
    let a0 = f64x2.extract_lane(sa, 0), b0 = f64x2.extract_lane(sb, 0);
    if (c < n) {
      const v = load<f64>(x + <usize>c * step), o = <usize>c << 3;
      a0 += load<f64>(p + o) * v;
      b0 += load<f64>(q + o) * v;
    }
    store<f64>(y + (<usize>r << 3), a0 + f64x2.extract_lane(sa, 1));
    store<f64>(y + (<usize>(r + 1) << 3), b0 + f64x2.extract_lane(sb, 1));
  }
  if (r < m) {
    const p = a + <usize>r * row;
    let sa = f64x2.splat(0);
    let c = 0;
    for (; c + 2 <= n; c += 2) sa = f64x2.add(sa, f64x2.mul(v128.load(p + (<usize>c << 3)), pairOf(x, c, step)));
    let a0 = f64x2.extract_lane(sa, 0);
    if (c < n) a0 += load<f64>(p + (<usize>c << 3)) * load<f64>(x + <usize>c * step);
    store<f64>(y + (<usize>r << 3), a0 + f64x2.extract_lane(sa, 1));
  }
}
