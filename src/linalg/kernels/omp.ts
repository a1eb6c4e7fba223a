// Batch-OMP over a block of signals (Rubinstein, Zibulevsky & Elad 2008, Algorithm 5): the
// reference and the TypeScript twin of src/wasm/assembly/omp.ts. Every signal's work (the
// search for the next atom, the Cholesky append, the two triangular solves, α = b − G[:, S]·γ
// and the residual energy) is done here in a fixed order of operations, no fused
// multiply-add, so the WebAssembly kernel, which does the same operations (two atoms per
// f64x2 where an operation is independent per atom), gives the same bits.

import { choleskyAppendKernel, trsv } from './triangular.js';

const EPS = Number.EPSILON;

// Scratch kept between calls, so that a call allocates nothing: an array over KEEP elements
// is made for its call only, so a large problem does not pin its memory.
const KEEP = 1 << 19;
const NONE: Float64Array = new Float64Array(0);
const NO_FLAGS: Uint8Array = new Uint8Array(0);

/** What the signals of one call share: G, the stopping rules, the scratch arrays. */
interface Work {
  /** (n × n) Gram matrix of the atoms, from offset offG. */
  G: Float64Array;
  offG: number;
  n: number;
  maxAtoms: number;
  /** Stop at ‖r‖² ≤ tol; negative: no tolerance. */
  tol: number;
  /** (n) correlations of the residual with every atom. */
  alpha: Float64Array;
  /** (n) 1 for the atoms chosen; {@link codeSignal} clears its own before it returns. */
  active: Uint8Array;
  /** The Cholesky factor of G[S, S], row-major with leading dimension `ld` (doubled when full). */
  L: Float64Array;
  ld: number;
}

/** The work of the current call (its arrays dropped when it returns). */
const work: Work = { G: NONE, offG: 0, n: 0, maxAtoms: 0, tol: -1, alpha: NONE, active: NO_FLAGS, L: NONE, ld: 0 };
/** The scratch kept: α and the active flags for up to KEEP atoms, and the largest factor up to KEEP entries. */
const kept: Pick<Work, 'alpha' | 'active' | 'L' | 'ld'> = { alpha: NONE, active: NO_FLAGS, L: NONE, ld: 0 };

/**
 * Batch-OMP for m signals (float64; see `Kernels.batchOmp`). G (n × n, symmetric) at
 * offG; the correlations of signal s with every atom, b = D·xₛ, at B[offB + s·n …]; with
 * tol ≥ 0 the squared norms ‖xₛ‖² at norms[offNorms + s]. Signal s picks at most
 * maxAtoms atoms: its count goes to nIter[offIter + s], its atoms (in the order chosen)
 * to support[offSupport + s·maxAtoms …] and their weights to gamma[offGamma + s·maxAtoms …].
 *
 * @example
 * ```ts
 * const G = new Float64Array([1, 0, 0, 1]), B = new Float64Array([0.5, 2]);
 * const support = new Int32Array(2), gamma = new Float64Array(2), nIter = new Int32Array(1);
 * batchOmp(1, 2, 2, -1, G, 0, B, 0, null, 0, support, 0, gamma, 0, nIter, 0);
 * [nIter[0], Array.from(support), Array.from(gamma)]; // [2, [1, 0], [2, 0.5]]
 * ```
 */
export function batchOmp(
  m: number, n: number, maxAtoms: number, tol: number, G: Float64Array, offG: number,
  B: Float64Array, offB: number, norms: Float64Array | null, offNorms: number,
  support: Int32Array, offSupport: number, gamma: Float64Array, offGamma: number, nIter: Int32Array, offIter: number,
): void {
  const w = prepare(G, offG, n, maxAtoms, tol);
  for (let s = 0; s < m; s++) {
    const energy = tol < 0 ? 0 : norms![offNorms + s]!;
    nIter[offIter + s] = codeSignal(w, B, offB + s * n, energy, support, offSupport + s * maxAtoms, gamma, offGamma + s * maxAtoms);
  }
  // Hold neither the caller's G nor arrays made for this call only.
  w.G = w.alpha = w.L = NONE;
  w.active = NO_FLAGS;
}

/** The shared work of a call, its scratch sized for n atoms. */
function prepare(G: Float64Array, offG: number, n: number, maxAtoms: number, tol: number): Work {
  const w = work;
  w.G = G;
  w.offG = offG;
  w.n = n;
  w.maxAtoms = maxAtoms;
  w.tol = tol;
  if (kept.alpha.length < n) {
    w.alpha = new Float64Array(n);
    w.active = new Uint8Array(n);
    if (n <= KEEP) {
      kept.alpha = w.alpha;
      kept.active = w.active;
    }
  } else {
    w.alpha = kept.alpha;
    w.active = kept.active;
    w.active.fill(0, 0, n);
  }
  if (kept.ld === 0) {
    kept.ld = Math.max(1, Math.min(maxAtoms, 64));
    kept.L = new Float64Array(kept.ld * kept.ld);
  }
  w.L = kept.L;
  w.ld = kept.ld;
  return w;
}

/**
 * Batch-OMP for one signal, whose correlations b = D·x are B[b … b + n) and whose squared
 * norm is `energy` (read with tol only): returns k, the atoms chosen, with their indices in
 * support[s0 … s0 + k) and their weights in gamma[g0 … g0 + k).
 */
function codeSignal(w: Work, B: Float64Array, b: number, energy: number, support: Int32Array, s0: number, gamma: Float64Array, g0: number): number {
  const { G, offG, n, maxAtoms, tol, alpha, active } = w;
  let { L, ld } = w;
  // The first atom: the largest |bⱼ| (no atom is active yet).
  let lam = argmaxAbs(B, b, n);
  let best = lam < 0 ? -1 : Math.abs(B[b + lam]!);
  let k = 0;
  let eps = energy; // ‖r‖², tracked without forming r
  let delta = 0;
  while (k < maxAtoms) {
    if (tol >= 0 && eps <= tol) break;
    // No correlation left worth an atom (sklearn's test: α² < eps).
    if (lam < 0 || best * best < EPS) break;
    // Grow L by the row (L⁻¹·G[S, λ], pivot); a pivot at most eps·G[λ,λ] (or G[λ,λ] ≤ 0)
    // means λ is dependent on the chosen atoms: stop this signal (choleskyAppend's rule).
    const row = offG + lam * n;
    const diag = G[row + lam]!;
    if (!(diag > 0)) break;
    if (k === ld) {
      L = grow(w, k);
      ld = w.ld;
    }
    const lrow = k * ld;
    for (let t = 0; t < k; t++) L[lrow + t] = G[row + support[s0 + t]!]!;
    if (!(choleskyAppendKernel(k, ld, L, diag) > EPS * diag)) break;
    support[s0 + k] = lam;
    active[lam] = 1;
    k++;
    // γ = G[S, S]⁻¹·b[S] by the two triangular solves with L.
    for (let t = 0; t < k; t++) gamma[g0 + t] = B[b + support[s0 + t]!]!;
    trsv(true, false, false, k, L, 0, ld, gamma, g0, 1);
    trsv(true, true, false, k, L, 0, ld, gamma, g0, 1);
    // α = b − G[:, S]·γ and the next atom; not needed after the last one.
    if (k < maxAtoms) {
      lam = residualCorrelations(G, offG, n, B, b, alpha, active, support, s0, gamma, g0, k);
      best = lam < 0 ? -1 : Math.abs(alpha[lam]!);
    }
    if (tol >= 0) {
      // ‖r‖² = ‖x‖² − γᵀ·β_S, updated by the change of δ = γᵀβ_S (paper, eq. 14).
      eps += delta;
      delta = 0;
      for (let t = 0; t < k; t++) {
        const off = offG + support[s0 + t]!;
        let beta = 0; // β[S_t] = (G[:, S]·γ)[S_t], summed in the order of the full product
        for (let u = 0; u < k; u++) beta += gamma[g0 + u]! * G[support[s0 + u]! * n + off]!;
        delta += gamma[g0 + t]! * beta;
      }
      eps -= delta;
    }
  }
  for (let t = 0; t < k; t++) active[support[s0 + t]!] = 0;
  return k;
}

/** Doubles the factor's leading dimension (as createCholeskyFactor's factor does), keeping its k rows. */
function grow(w: Work, k: number): Float64Array {
  const { L, ld } = w;
  const next = new Float64Array(4 * ld * ld);
  for (let t = 0; t < k; t++) next.set(L.subarray(t * ld, t * ld + t + 1), t * 2 * ld);
  w.ld = 2 * ld;
  w.L = next;
  if (next.length <= KEEP) {
    kept.L = next;
    kept.ld = w.ld;
  }
  return next;
}

/** The index of the largest |B[b + j]| over j < n (the first on ties; −1 if none, as for NaN only). */
function argmaxAbs(B: Float64Array, b: number, n: number): number {
  let lam = -1;
  let best = -1;
  for (let j = 0; j < n; j++) {
    const a = Math.abs(B[b + j]!);
    if (a > best) {
      best = a;
      lam = j;
    }
  }
  return lam;
}

/**
 * α = b − G[:, S]·γ over every atom, with b = B[b …], and the index of the largest |αⱼ|
 * over the inactive atoms (−1 if none; ties go to the first). G is symmetric, so G[:, S]·γ
 * is a sum of rows of G; each αⱼ sums its k terms in the order t = 0, 1, … (as the product
 * β = G[:, S]·γ accumulated row by row did), four rows per pass over the atoms, the last
 * pass fused with the subtraction from b and the search for the next atom.
 */
function residualCorrelations(
  G: Float64Array, offG: number, n: number, B: Float64Array, b: number, alpha: Float64Array,
  active: Uint8Array, support: Int32Array, s0: number, gamma: Float64Array, g0: number, k: number,
): number {
  let t = 0;
  // Whole passes of four rows while more than four remain: partial sums of β in alpha.
  for (; t + 4 < k; t += 4) {
    const c0 = gamma[g0 + t]!, c1 = gamma[g0 + t + 1]!, c2 = gamma[g0 + t + 2]!, c3 = gamma[g0 + t + 3]!;
    const o0 = offG + support[s0 + t]! * n, o1 = offG + support[s0 + t + 1]! * n;
    const o2 = offG + support[s0 + t + 2]! * n, o3 = offG + support[s0 + t + 3]! * n;
    const first = t === 0;
    for (let j = 0; j < n; j++) {
      alpha[j] = (first ? 0 : alpha[j]!) + c0 * G[o0 + j]! + c1 * G[o1 + j]! + c2 * G[o2 + j]! + c3 * G[o3 + j]!;
    }
  }
  const first = t === 0;
  const rest = k - t; // 1 … 4 rows in the last pass
  const c0 = gamma[g0 + t]!, c1 = rest > 1 ? gamma[g0 + t + 1]! : 0;
  const c2 = rest > 2 ? gamma[g0 + t + 2]! : 0, c3 = rest > 3 ? gamma[g0 + t + 3]! : 0;
  const o0 = offG + support[s0 + t]! * n, o1 = rest > 1 ? offG + support[s0 + t + 1]! * n : 0;
  const o2 = rest > 2 ? offG + support[s0 + t + 2]! * n : 0, o3 = rest > 3 ? offG + support[s0 + t + 3]! * n : 0;
  let lam = -1;
  let best = -1;
  // One loop per row count: the bodies differ only in how many terms they add.
  switch (rest) {
    case 1:
      for (let j = 0; j < n; j++) {
        const a = B[b + j]! - ((first ? 0 : alpha[j]!) + c0 * G[o0 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
      break;
    case 2:
      for (let j = 0; j < n; j++) {
        const a = B[b + j]! - ((first ? 0 : alpha[j]!) + c0 * G[o0 + j]! + c1 * G[o1 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
      break;
    case 3:
      for (let j = 0; j < n; j++) {
        const a = B[b + j]! - ((first ? 0 : alpha[j]!) + c0 * G[o0 + j]! + c1 * G[o1 + j]! + c2 * G[o2 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
      break;
    default:
      for (let j = 0; j < n; j++) {
        const a = B[b + j]! - ((first ? 0 : alpha[j]!) + c0 * G[o0 + j]! + c1 * G[o1 + j]! + c2 * G[o2 + j]! + c3 * G[o3 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
  }
  return lam;
}
