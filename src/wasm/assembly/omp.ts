// Batch-OMP over a block of signals (Rubinstein, Zibulevsky & Elad 2008, Algorithm 5), the
// twin of src/linalg/kernels/omp.ts: G and the block's correlations stay in linear memory
// and every signal's work is done here, one call per block, in the reference's order of
// operations. Two atoms share an f64x2 where the work is independent per atom: α = b −
// G[:, S]·γ (each αⱼ adds its terms in the order t = 0, 1, …, four rows of G per pass, as
// the reference) with the running maximum of |αⱼ| in the same pass, then the first j
// where it is reached: the reference's search (first maximum) without a compare-and-select
// chain per atom. The Cholesky append, the triangular solves and the residual energy, a
// few atoms long, are scalar. No fused multiply-add anywhere, so the bits are the
// reference's.
//
// Pointers are byte addresses: g (n × n f64), b (m × n f64), norms (m f64, read with
// tol ≥ 0), support (m × maxAtoms i32), gamma (m × maxAtoms f64), niter (m i32).

/** Bytes of workspace dbatchomp needs: α and the active mask (n each), and L (ld × ld). */
export function dbatchompWork(n: i32, ld: i32): usize {
  return (<usize>n << 4) + ((<usize>ld * <usize>ld) << 3);
}

/**
 * Batch-OMP for m signals (see Kernels.batchOmp), with room for a Cholesky factor of ld
 * rows (leading dimension ld). Returns 1, or 0 when a signal needed more than ld atoms'
 * room: the caller runs the block again with a larger ld (its outputs are then partial).
 */
export function dbatchomp(
  m: i32, n: i32, maxAtoms: i32, tol: f64, g: usize, b: usize, norms: usize,
  support: usize, gamma: usize, niter: usize, ld: i32, work: usize,
): i32 {
  const alpha = work, mask = work + (<usize>n << 3), l = mask + (<usize>n << 3);
  memory.fill(mask, 0, <usize>n << 3);
  const row = <usize>n << 3, out = <usize>maxAtoms;
  for (let s: i32 = 0; s < m; s++) {
    const energy = tol < 0 ? 0 : load<f64>(norms + (<usize>s << 3));
    const k = codeSignal(n, maxAtoms, tol, g, b + <usize>s * row, energy, support + ((<usize>s * out) << 2), gamma + ((<usize>s * out) << 3), alpha, mask, l, ld);
    if (k < 0) return 0;
    store<i32>(niter + (<usize>s << 2), k);
  }
  return 1;
}

/**
 * One signal, whose correlations are b (n f64) and squared norm `energy`: its atoms to sup,
 * their weights to gam; returns their count, or −1 when L (ld rows) is full.
 */
function codeSignal(
  n: i32, maxAtoms: i32, tol: f64, g: usize, b: usize, energy: f64, sup: usize, gam: usize,
  alpha: usize, mask: usize, l: usize, ld: i32,
): i32 {
  const row = <usize>n << 3;
  let lam = argmaxAbs(b, n);
  let best: f64 = lam < 0 ? -1 : abs(load<f64>(b + (<usize>lam << 3)));
  let k: i32 = 0;
  let eps = energy;
  let delta: f64 = 0;
  while (k < maxAtoms) {
    if (tol >= 0 && eps <= tol) break;
    if (lam < 0 || best * best < f64.EPSILON) break;
    const grow = g + <usize>lam * row;
    const diag = load<f64>(grow + (<usize>lam << 3));
    if (!(diag > 0)) break;
    if (k == ld) {
      k = -1 - k;
      break;
    }
    const lrow = l + ((<usize>k * <usize>ld) << 3);
    for (let t: i32 = 0; t < k; t++) store<f64>(lrow + (<usize>t << 3), load<f64>(grow + (<usize>load<i32>(sup + (<usize>t << 2)) << 3)));
    if (!(choleskyAppend(k, l, ld, lrow, diag) > f64.EPSILON * diag)) break;
    store<i32>(sup + (<usize>k << 2), lam);
    store<i64>(mask + (<usize>lam << 3), -1);
    k++;
    for (let t: i32 = 0; t < k; t++) store<f64>(gam + (<usize>t << 3), load<f64>(b + (<usize>load<i32>(sup + (<usize>t << 2)) << 3)));
    forwardSolve(k, l, ld, gam);
    backSolveTransposed(k, l, ld, gam);
    if (k < maxAtoms) {
      lam = residualCorrelations(g, n, b, alpha, mask, sup, gam, k);
      best = lam < 0 ? -1 : abs(load<f64>(alpha + (<usize>lam << 3)));
    }
    if (tol >= 0) {
      eps += delta;
      delta = energyChange(g, n, sup, gam, k);
      eps -= delta;
    }
  }
  const used = k < 0 ? -1 - k : k;
  for (let t: i32 = 0; t < used; t++) store<i64>(mask + (<usize>load<i32>(sup + (<usize>t << 2)) << 3), 0);
  return k < 0 ? -1 : k;
}

/** δ = γᵀ·β_S with β[S_t] = Σ_u γ_u·G[S_u, S_t], summed in the reference's order. */
function energyChange(g: usize, n: i32, sup: usize, gam: usize, k: i32): f64 {
  let delta: f64 = 0;
  for (let t: i32 = 0; t < k; t++) {
    const off = <usize>load<i32>(sup + (<usize>t << 2)) << 3;
    let beta: f64 = 0;
    for (let u: i32 = 0; u < k; u++) {
      beta += load<f64>(gam + (<usize>u << 3)) * load<f64>(g + <usize>load<i32>(sup + (<usize>u << 2)) * (<usize>n << 3) + off);
    }
    delta += load<f64>(gam + (<usize>t << 3)) * beta;
  }
  return delta;
}

/** Row k of L (v on entry, at lrow) ← L⁻¹·v; returns the pivot diag − ‖L⁻¹v‖², writing its root when positive. */
function choleskyAppend(k: i32, l: usize, ld: i32, lrow: usize, diag: f64): f64 {
  forwardSolve(k, l, ld, lrow);
  let ww: f64 = 0;
  for (let j: i32 = 0; j < k; j++) {
    const w = load<f64>(lrow + (<usize>j << 3));
    ww += w * w;
  }
  const pivot = diag - ww;
  if (pivot > 0) store<f64>(lrow + (<usize>k << 3), sqrt(pivot));
  return pivot;
}

/** x ← L⁻¹·x for the first k rows of L (forward substitution, dot products along rows). */
function forwardSolve(k: i32, l: usize, ld: i32, x: usize): void {
  for (let i: i32 = 0; i < k; i++) {
    const r = l + ((<usize>i * <usize>ld) << 3);
    let acc = load<f64>(x + (<usize>i << 3));
    for (let j: i32 = 0; j < i; j++) acc -= load<f64>(r + (<usize>j << 3)) * load<f64>(x + (<usize>j << 3));
    store<f64>(x + (<usize>i << 3), acc / load<f64>(r + (<usize>i << 3)));
  }
}

/** x ← L⁻ᵀ·x (back substitution by rows of L: each solved entry is removed from the others). */
function backSolveTransposed(k: i32, l: usize, ld: i32, x: usize): void {
  for (let i: i32 = k - 1; i >= 0; i--) {
    const r = l + ((<usize>i * <usize>ld) << 3);
    const v = load<f64>(x + (<usize>i << 3)) / load<f64>(r + (<usize>i << 3));
    store<f64>(x + (<usize>i << 3), v);
    for (let j: i32 = 0; j < i; j++) {
      const p = x + (<usize>j << 3);
      store<f64>(p, load<f64>(p) - load<f64>(r + (<usize>j << 3)) * v);
    }
  }
}

/** The first index of the largest |b[j]| over j < n; −1 if none (NaN only). */
function argmaxAbs(b: usize, n: i32): i32 {
  // Two running maxima, four atoms per step: each pmax waits for the one before it.
  let top = f64x2.splat(-1), top2 = top;
  const even = n & ~1;
  let j: i32 = 0;
  for (; j + 4 <= even; j += 4) {
    const p = b + (<usize>j << 3);
    top = f64x2.pmax(top, f64x2.abs(v128.load(p)));
    top2 = f64x2.pmax(top2, f64x2.abs(v128.load(p, 16)));
  }
  if (j < even) top = f64x2.pmax(top, f64x2.abs(v128.load(b + (<usize>j << 3))));
  return firstOf(b, n, largest(f64x2.pmax(top, top2), b, n), 0);
}

/**
 * The largest of both lanes of `top` (the running maxima of |xⱼ| over even and odd j, NaN
 * skipped: pmax keeps its first operand unless the second is larger) and of the odd last
 * |x[n − 1]|; −1 when every entry is NaN.
 */
// @ts-ignore: decorator
@inline function largest(top: v128, x: usize, n: i32): f64 {
  let best = f64x2.extract_lane(top, 0);
  const b1 = f64x2.extract_lane(top, 1);
  if (b1 > best) best = b1;
  if ((n & 1) != 0) {
    const last = abs(load<f64>(x + (<usize>(n - 1) << 3)));
    if (last > best) best = last;
  }
  return best;
}

/**
 * The first j with |x[j]| = best (−1 when best is −1, nothing found): the first maximum, as
 * a scan with `>` finds it. With a mask (not 0), that maximum must be of an inactive atom:
 * if the first is active (rare: the chosen atoms' correlations are zero up to rounding),
 * the masked search is done again, in the reference's way, over the inactive atoms only.
 */
function firstOf(x: usize, n: i32, best: f64, mask: usize): i32 {
  if (best < 0) return -1;
  const v = f64x2.splat(best);
  // Eight atoms per test, then the first of them (or of the last n mod 8) one by one.
  let j: i32 = 0;
  for (; j + 8 <= n; j += 8) {
    const p = x + (<usize>j << 3);
    const hit = v128.or(
      v128.or(f64x2.eq(f64x2.abs(v128.load(p)), v), f64x2.eq(f64x2.abs(v128.load(p, 16)), v)),
      v128.or(f64x2.eq(f64x2.abs(v128.load(p, 32)), v), f64x2.eq(f64x2.abs(v128.load(p, 48)), v)),
    );
    if (v128.any_true(hit)) break;
  }
  while (abs(load<f64>(x + (<usize>j << 3))) != best) j++;
  if (mask == 0 || load<i64>(mask + (<usize>j << 3)) == 0) return j;
  return firstInactive(x, n, mask);
}

/** The first index of the largest |x[j]| over the inactive j (mask 0), as the reference's scan; −1 if none. */
function firstInactive(x: usize, n: i32, mask: usize): i32 {
  let lam: i32 = -1;
  let best: f64 = -1;
  for (let j: i32 = 0; j < n; j++) {
    const m = abs(load<f64>(x + (<usize>j << 3)));
    if (m > best && load<i64>(mask + (<usize>j << 3)) == 0) {
      best = m;
      lam = j;
    }
  }
  return lam;
}

/**
 * α = b − G[:, S]·γ over every atom and the first index of the largest |αⱼ| over the
 * inactive atoms (−1 if none): whole passes of four rows of G while more than four remain
 * (partial sums in α), then the last pass of 1 … 4 rows fused with the subtraction and the
 * search (one loop per row count, the row count a constant after inlining).
 */
function residualCorrelations(g: usize, n: i32, b: usize, alpha: usize, mask: usize, sup: usize, gam: usize, k: i32): i32 {
  const row = <usize>n << 3;
  let t: i32 = 0;
  for (; t + 4 < k; t += 4) pass(g, row, n, b, alpha, mask, sup, gam, t, t == 0, 4, false);
  return pass(g, row, n, b, alpha, mask, sup, gam, t, t == 0, k - t, true);
}

/**
 * One pass over the atoms adding `rows` rows of G (S_t … S_{t+rows−1}) weighted by γ to α
 * (from 0 when `first`), in the reference's order ((α + γ₀g₀) + γ₁g₁) + …; when `last`,
 * α ← b − that sum and the search for the next atom (its index returned; else −1).
 */
function pass(
  g: usize, row: usize, n: i32, b: usize, alpha: usize, mask: usize, sup: usize, gam: usize,
  t: i32, first: bool, rows: i32, last: bool,
): i32 {
  const s = sup + (<usize>t << 2), q = gam + (<usize>t << 3);
  const p0 = g + <usize>load<i32>(s) * row;
  const p1 = rows > 1 ? g + <usize>load<i32>(s, 4) * row : 0;
  const p2 = rows > 2 ? g + <usize>load<i32>(s, 8) * row : 0;
  const p3 = rows > 3 ? g + <usize>load<i32>(s, 12) * row : 0;
  const c0 = load<f64>(q), c1 = rows > 1 ? load<f64>(q, 8) : 0, c2 = rows > 2 ? load<f64>(q, 16) : 0, c3 = rows > 3 ? load<f64>(q, 24) : 0;
  const v0 = f64x2.splat(c0), v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3);
  const zero = f64x2.splat(0);
  let top = f64x2.splat(-1), top2 = top;
  const even = n & ~1;
  let j: i32 = 0;
  // Four atoms per step (two f64x2 with constant offsets): half the loop and address work.
  for (; j + 4 <= even; j += 4) {
    const e = <usize>j << 3;
    let acc = select<v128>(zero, v128.load(alpha + e), first);
    let acc2 = select<v128>(zero, v128.load(alpha + e, 16), first);
    acc = f64x2.add(acc, f64x2.mul(v0, v128.load(p0 + e)));
    acc2 = f64x2.add(acc2, f64x2.mul(v0, v128.load(p0 + e, 16)));
    if (rows > 1) {
      acc = f64x2.add(acc, f64x2.mul(v1, v128.load(p1 + e)));
      acc2 = f64x2.add(acc2, f64x2.mul(v1, v128.load(p1 + e, 16)));
    }
    if (rows > 2) {
      acc = f64x2.add(acc, f64x2.mul(v2, v128.load(p2 + e)));
      acc2 = f64x2.add(acc2, f64x2.mul(v2, v128.load(p2 + e, 16)));
    }
    if (rows > 3) {
      acc = f64x2.add(acc, f64x2.mul(v3, v128.load(p3 + e)));
      acc2 = f64x2.add(acc2, f64x2.mul(v3, v128.load(p3 + e, 16)));
    }
    if (last) {
      acc = f64x2.sub(v128.load(b + e), acc);
      acc2 = f64x2.sub(v128.load(b + e, 16), acc2);
      top = f64x2.pmax(top, f64x2.abs(acc));
      top2 = f64x2.pmax(top2, f64x2.abs(acc2));
    }
    v128.store(alpha + e, acc);
    v128.store(alpha + e, acc2, 16);
  }
  if (j < even) {
    const e = <usize>j << 3;
    let acc = select<v128>(zero, v128.load(alpha + e), first);
    acc = f64x2.add(acc, f64x2.mul(v0, v128.load(p0 + e)));
    if (rows > 1) acc = f64x2.add(acc, f64x2.mul(v1, v128.load(p1 + e)));
    if (rows > 2) acc = f64x2.add(acc, f64x2.mul(v2, v128.load(p2 + e)));
    if (rows > 3) acc = f64x2.add(acc, f64x2.mul(v3, v128.load(p3 + e)));
    if (last) {
      acc = f64x2.sub(v128.load(b + e), acc);
      top = f64x2.pmax(top, f64x2.abs(acc));
    }
    v128.store(alpha + e, acc);
  }
  if (even < n) {
    const e = <usize>even << 3;
    let acc: f64 = first ? 0 : load<f64>(alpha + e);
    acc += c0 * load<f64>(p0 + e);
    if (rows > 1) acc += c1 * load<f64>(p1 + e);
    if (rows > 2) acc += c2 * load<f64>(p2 + e);
    if (rows > 3) acc += c3 * load<f64>(p3 + e);
    store<f64>(alpha + e, last ? load<f64>(b + e) - acc : acc);
  }
  return last ? firstOf(alpha, n, largest(f64x2.pmax(top, top2), alpha, n), mask) : -1;
}
