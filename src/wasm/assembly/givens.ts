// Float64 plane rotations for the QR sweeps of the bidiagonal SVD (drotchain): a sweep's
// rotations act on neighbouring rows of the singular vectors, in order. It mirrors
// rotateChain of src/linalg/kernels/givens.ts: every entry goes through the same products,
// sums and differences in the same order (f64x2 lanes, no fused multiply-add), so the bits
// are the TypeScript kernel's; only the grouping of rotations per pass (four here, three
// there) and of entries per instruction (two) differ, which the results do not see.
//
// Pointers are byte addresses; the leading dimension is in elements.

// @ts-ignore: decorator
@inline function isIdentity(cs: usize, sn: usize, j: i32): bool {
  return load<f64>(sn + (<usize>j << 3)) == 0 && load<f64>(cs + (<usize>j << 3)) == 1;
}

/**
 * Rotations j = 0 … count−1 (cosines at cs, sines at sn), each to rows j and j + 1 of the
 * rows at x (n entries each, leading dimension ld): (x_j, x_{j+1}) ← (c·x_j + s·x_{j+1},
 * c·x_{j+1} − s·x_j); identity rotations are skipped.
 */
export function drotchain(n: i32, x: usize, ld: i32, count: i32, cs: usize, sn: usize): void {
  const row = <usize>ld << 3;
  let j = 0;
  while (j < count) {
    if (j + 4 <= count && !isIdentity(cs, sn, j) && !isIdentity(cs, sn, j + 1) && !isIdentity(cs, sn, j + 2) && !isIdentity(cs, sn, j + 3)) {
      rotateFour(n, x + <usize>j * row, row, cs + (<usize>j << 3), sn + (<usize>j << 3));
      j += 4;
    } else {
      if (!isIdentity(cs, sn, j)) rotateOne(n, x + <usize>j * row, x + <usize>(j + 1) * row, load<f64>(cs + (<usize>j << 3)), load<f64>(sn + (<usize>j << 3)));
      j++;
    }
  }
}

function rotateOne(n: i32, a: usize, b: usize, c: f64, s: f64): void {
  const cv = f64x2.splat(c), sv = f64x2.splat(s);
  let q = 0;
  for (; q + 2 <= n; q += 2) {
    const o = <usize>q << 3;
    const xv = v128.load(a + o), yv = v128.load(b + o);
    v128.store(a + o, f64x2.add(f64x2.mul(cv, xv), f64x2.mul(sv, yv)));
    v128.store(b + o, f64x2.sub(f64x2.mul(cv, yv), f64x2.mul(sv, xv)));
  }
  if (q < n) {
    const o = <usize>q << 3;
    const x0 = load<f64>(a + o), y0 = load<f64>(b + o);
    store<f64>(a + o, c * x0 + s * y0);
    store<f64>(b + o, c * y0 - s * x0);
  }
}

// Four rotations in one pass over five rows (r0 … r0 + 4·row): each entry is loaded and
// stored once instead of once per rotation.
function rotateFour(n: i32, r0: usize, row: usize, cs: usize, sn: usize): void {
  const r1 = r0 + row, r2 = r1 + row, r3 = r2 + row, r4 = r3 + row;
  const c0 = f64x2.splat(load<f64>(cs)), s0 = f64x2.splat(load<f64>(sn));
  const c1 = f64x2.splat(load<f64>(cs, 8)), s1 = f64x2.splat(load<f64>(sn, 8));
  const c2 = f64x2.splat(load<f64>(cs, 16)), s2 = f64x2.splat(load<f64>(sn, 16));
  const c3 = f64x2.splat(load<f64>(cs, 24)), s3 = f64x2.splat(load<f64>(sn, 24));
  let q = 0;
  for (; q + 2 <= n; q += 2) {
    const o = <usize>q << 3;
    const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o);
    v128.store(r0 + o, f64x2.add(f64x2.mul(c0, x0), f64x2.mul(s0, x1)));
    const y1 = f64x2.sub(f64x2.mul(c0, x1), f64x2.mul(s0, x0));
    const x2 = v128.load(r2 + o);
    v128.store(r1 + o, f64x2.add(f64x2.mul(c1, y1), f64x2.mul(s1, x2)));
    const y2 = f64x2.sub(f64x2.mul(c1, x2), f64x2.mul(s1, y1));
    const x3 = v128.load(r3 + o);
    v128.store(r2 + o, f64x2.add(f64x2.mul(c2, y2), f64x2.mul(s2, x3)));
    const y3 = f64x2.sub(f64x2.mul(c2, x3), f64x2.mul(s2, y2));
    const x4 = v128.load(r4 + o);
    v128.store(r3 + o, f64x2.add(f64x2.mul(c3, y3), f64x2.mul(s3, x4)));
    v128.store(r4 + o, f64x2.sub(f64x2.mul(c3, x4), f64x2.mul(s3, y3)));
  }
  if (q < n) {
    // The odd last column, one rotation at a time (the same operations).
    for (let t = 0; t < 4; t++) {
      const a = r0 + <usize>t * row + (<usize>q << 3), b = a + row;
      const c = load<f64>(cs + (<usize>t << 3)), s = load<f64>(sn + (<usize>t << 3));
      const x = load<f64>(a), y = load<f64>(b);
      store<f64>(a, c * x + s * y);
      store<f64>(b, c * y - s * x);
    }
  }
}
