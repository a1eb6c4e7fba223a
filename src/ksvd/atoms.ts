// The atom-level steps of K-SVD on a run's state: the rank-1 update of one atom, clearing
// and replacing atoms, and splitting an atom that serves two directions. fit.ts drives them.
import type { Matrix } from '../core/matrix.js';
import { symmetricEigen } from '../linalg/eigh.js';
import { gram64 } from '../linalg/matmul.js';

/** State of a run: X, the dictionary D, dense codes C (n × K), the residual R = X − C·D and its row energies. */
export interface State {
  X: Matrix<Float64Array>;
  n: number;
  p: number;
  K: number;
  D: Float64Array;
  C: Float64Array;
  R: Float64Array;
  rowErr: Float64Array;
  /** Scratch: the restricted residual, (n × p). */
  E: Float64Array;
  /** Scratch: the signals using an atom. */
  users: Int32Array;
  /**
   * The signals each atom's code used after the last coding step, column by column
   * (atom k: byAtom[atomStart[k] … atomStart[k + 1])): a sweep reads users from it instead
   * of scanning all n codes per atom. Updates keep supports; cleared atoms are skipped by
   * checking C.
   */
  atomStart: Int32Array;
  byAtom: Int32Array;
}

/** Rebuilds st.atomStart / st.byAtom from the codes C. */
export function indexUsers(st: State): void {
  const { n, K, C, atomStart } = st;
  atomStart.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) if (C[i * K + k] !== 0) atomStart[k + 1]!++;
  }
  for (let k = 0; k < K; k++) atomStart[k + 1]! += atomStart[k]!;
  if (st.byAtom.length < atomStart[K]!) st.byAtom = new Int32Array(atomStart[K]!);
  const next = atomStart.slice(0, K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) if (C[i * K + k] !== 0) st.byAtom[next[k]!++] = i;
  }
}

const DUPLICATE_COS = 0.99;
/** Below this share of the mean number of users per atom, an atom counts as rarely used. */
const RARE_USE = 0.25;

/** Normalises row k of D (length p) in place; false when it is (numerically) zero. */
export function normaliseRow(D: Float64Array, k: number, p: number): boolean {
  let s = 0;
  for (let j = 0; j < p; j++) s += D[k * p + j]! * D[k * p + j]!;
  const n = Math.sqrt(s);
  if (!(n > 1e-300)) return false;
  for (let j = 0; j < p; j++) D[k * p + j]! /= n;
  return true;
}

/** ‖R_i‖² for every row into out; returns their sum. */
export function rowErrors(R: Float64Array, n: number, p: number, out: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * p; j < (i + 1) * p; j++) s += R[j]! * R[j]!;
    out[i] = s;
    total += s;
  }
  return total;
}

/** out[off…] = X_i − c_i·D. */
export function residualRow(st: State, c: Float64Array, i: number, out: Float64Array, off: number): void {
  const { p, K, D, X } = st;
  for (let j = 0; j < p; j++) out[off + j] = X.data[i * p + j]!;
  for (let k = 0; k < K; k++) {
    const w = c[i * K + k]!;
    if (w === 0) continue;
    for (let j = 0; j < p; j++) out[off + j]! -= w * D[k * p + j]!;
  }
}

/**
 * Gathers the signals using atom k into st.users and their residual with atom k's
 * contribution added back into st.E (row t for users[t]); returns how many there are.
 */
function restrict(st: State, k: number): number {
  const { p, K, D, C, R, E, users, byAtom } = st;
  let m = 0;
  for (let q = st.atomStart[k]!; q < st.atomStart[k + 1]!; q++) {
    const i = byAtom[q]!;
    if (C[i * K + k] !== 0) users[m++] = i;
  }
  for (let t = 0; t < m; t++) {
    const i = users[t]!;
    const w = C[i * K + k]!;
    for (let j = 0; j < p; j++) E[t * p + j] = R[i * p + j]! + w * D[k * p + j]!;
  }
  return m;
}

/** Eigenvectors of EᵀE for the first m rows of E, largest first, as columns of a (p × p) matrix. */
function rightSingularVectors(E: Float64Array, m: number, p: number): Float64Array {
  const A = new Float64Array(p * p); // upper triangle is all symmetricEigen reads
  for (let t = 0; t < m; t++) {
    for (let a = 0; a < p; a++) {
      const ea = E[t * p + a]!;
      if (ea === 0) continue;
      for (let b = a; b < p; b++) A[a * p + b]! += ea * E[t * p + b]!;
    }
  }
  return symmetricEigen(p, A).vectors.data;
}

/** Codes user t (signal users[t]) by atom k alone over E's row t: c = E_t·d_k, R_i = E_t − c·d_k. */
function codeByAtom(st: State, t: number, k: number): void {
  const { p, K, D, C, R, E } = st;
  const i = st.users[t]!;
  let w = 0;
  for (let j = 0; j < p; j++) w += E[t * p + j]! * D[k * p + j]!;
  // A code entry of exactly 0 would drop the atom from the support; keep it tiny instead.
  C[i * K + k] = w === 0 ? Number.MIN_VALUE : w;
  let e = 0;
  for (let j = 0; j < p; j++) {
    const v = E[t * p + j]! - w * D[k * p + j]!;
    R[i * p + j] = v;
    e += v * v;
  }
  st.rowErr[i] = e;
}

/**
 * The K-SVD update of atom k and its coefficients: the best rank-1 fit of the restricted
 * residual (`exact`: its first singular pair; otherwise one power step from the current
 * coefficients, d = Eᵀg / ‖Eᵀg‖). Returns false when no signal uses the atom.
 */
export function updateAtom(st: State, k: number, exact: boolean): boolean {
  const { p, K, D, C, E, users } = st;
  const m = restrict(st, k);
  if (m === 0) return false;
  const d = new Float64Array(p);
  if (exact) {
    const V = rightSingularVectors(E, m, p);
    for (let j = 0; j < p; j++) d[j] = V[j * p]!;
  } else {
    for (let t = 0; t < m; t++) {
      const w = C[users[t]! * K + k]!;
      for (let j = 0; j < p; j++) d[j]! += w * E[t * p + j]!;
    }
  }
  let s = 0, dot = 0;
  for (let j = 0; j < p; j++) {
    s += d[j]! * d[j]!;
    dot += d[j]! * D[k * p + j]!;
  }
  // E = 0 keeps the atom; otherwise the sign that stays near the previous atom, so atoms
  // do not flip between iterations.
  if (s > 0) {
    const scale = (dot < 0 ? -1 : 1) / Math.sqrt(s);
    for (let j = 0; j < p; j++) D[k * p + j] = d[j]! * scale;
  }
  for (let t = 0; t < m; t++) codeByAtom(st, t, k);
  return true;
}

/** Drops atom k from every code, adding its contribution back to the residual. */
export function clearAtom(st: State, k: number): void {
  const { n, p, K, D, C, R } = st;
  for (let i = 0; i < n; i++) {
    const w = C[i * K + k]!;
    if (w === 0) continue;
    C[i * K + k] = 0;
    let e = 0;
    for (let j = 0; j < p; j++) {
      R[i * p + j]! += w * D[k * p + j]!;
      e += R[i * p + j]! * R[i * p + j]!;
    }
    st.rowErr[i] = e;
  }
}

/** Replaces atom k by the worst-represented signal not yet taken; its codes become 0. */
export function replaceAtom(st: State, k: number, taken: Uint8Array): void {
  const { n, p, D, X } = st;
  clearAtom(st, k);
  let worst = -1;
  for (let i = 0; i < n; i++) {
    if (taken[i] === 1) continue;
    if (worst < 0 || st.rowErr[i]! > st.rowErr[worst]!) worst = i;
  }
  if (worst < 0) return;
  taken[worst] = 1;
  const old = D.slice(k * p, (k + 1) * p);
  D.set(X.data.subarray(worst * p, (worst + 1) * p), k * p);
  if (!normaliseRow(D, k, p)) D.set(old, k * p);
}

/** Atoms nearly duplicating an earlier one (|cos| > 0.99), by index. */
export function duplicates(D: Float64Array, K: number, p: number): number[] {
  const G = gram64({ rows: K, cols: p, data: D }, true).data;
  const out: number[] = [];
  for (let k = 1; k < K; k++) {
    for (let l = 0; l < k; l++) {
      if (Math.abs(G[k * K + l]!) > DUPLICATE_COS) { out.push(k); break; }
    }
  }
  return out;
}

/**
 * The pair for {@link splitAtom}: the most rarely used atom (used, but by fewer than
 * RARE_USE × the mean number of users) and the atom whose users carry the most residual
 * energy; null when no atom is that rare.
 */
export function splitCandidates(st: State, nNonzero: number): { rare: number; heavy: number } | null {
  const { n, K, C, rowErr } = st;
  const count = new Float64Array(K), load = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      if (C[i * K + k] !== 0) { count[k]!++; load[k]! += rowErr[i]!; }
    }
  }
  const limit = (RARE_USE * n * nNonzero) / K;
  let rare = -1, heavy = -1;
  for (let k = 0; k < K; k++) if (count[k]! < limit && (rare < 0 || count[k]! < count[rare]!)) rare = k;
  if (rare < 0) return null;
  for (let k = 0; k < K; k++) if (k !== rare && count[k]! >= 2 && (heavy < 0 || load[k]! > load[heavy]!)) heavy = k;
  return heavy < 0 ? null : { rare, heavy };
}

/**
 * Unit top eigenvector of the 2 × 2 scatter [[a, b], [b, c]] into out[at], out[at + 1].
 * Square roots only (no trigonometry), so every engine rounds it alike.
 */
function principalDirection(a: number, b: number, c: number, out: Float64Array, at: number): void {
  const half = 0.5 * (a - c);
  const root = Math.sqrt(half * half + b * b);
  // (λ − c, b) and (b, λ − a) are both eigenvectors; take the one away from cancellation.
  let x = half >= 0 ? half + root : b, y = half >= 0 ? b : root - half;
  const norm = Math.sqrt(x * x + y * y);
  if (norm > 0) { x /= norm; y /= norm; } else { x = 1; y = 0; }
  out[at] = x;
  out[at + 1] = y;
}

/**
 * Splits atom `heavy` into itself and atom `rare` (whose codes are cleared first). An atom
 * that settled between two true directions serves the signals of both, so its restricted
 * residual has rank two, and its users' residuals stay large while some other atom idles.
 * The rows of the restricted residual are clustered into two lines through the origin of
 * its top-2 right singular plane (k-lines: assign each row to the line it is nearer in
 * angle, refit each line as its rows' principal direction); the lines become the two atoms,
 * and each signal is coded by the one it chose. Greedy K-SVD does not leave such a local
 * minimum by itself; on the synthetic test of Aharon et al. this lifts recovery from ~91% to
 * ~99% of atoms.
 */
export function splitAtom(st: State, heavy: number, rare: number): void {
  const { p, K, D, C, E, users } = st;
  clearAtom(st, rare);
  const m = restrict(st, heavy);
  if (m < 2) return;
  const V = rightSingularVectors(E, m, p);
  const xs = new Float64Array(m), ys = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    let x = 0, y = 0;
    for (let j = 0; j < p; j++) {
      x += E[t * p + j]! * V[j * p]!;
      y += E[t * p + j]! * V[j * p + 1]!;
    }
    xs[t] = x;
    ys[t] = y;
  }
  // Two lines at ±45° from the first singular direction, then k-lines rounds (a handful settle it).
  const lines = Float64Array.of(Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2);
  const second = new Uint8Array(m);
  const scatter = new Float64Array(6);
  for (let round = 0; round < 20; round++) {
    scatter.fill(0);
    for (let t = 0; t < m; t++) {
      const x = xs[t]!, y = ys[t]!;
      const side = Math.abs(x * lines[2]! + y * lines[3]!) > Math.abs(x * lines[0]! + y * lines[1]!) ? 1 : 0;
      second[t] = side;
      scatter[3 * side]! += x * x;
      scatter[3 * side + 1]! += x * y;
      scatter[3 * side + 2]! += y * y;
    }
    principalDirection(scatter[0]!, scatter[1]!, scatter[2]!, lines, 0);
    principalDirection(scatter[3]!, scatter[4]!, scatter[5]!, lines, 2);
  }
  for (let j = 0; j < p; j++) {
    D[heavy * p + j] = lines[0]! * V[j * p]! + lines[1]! * V[j * p + 1]!;
    D[rare * p + j] = lines[2]! * V[j * p]! + lines[3]! * V[j * p + 1]!;
  }
  normaliseRow(D, heavy, p);
  normaliseRow(D, rare, p);
  for (let t = 0; t < m; t++) {
    if (second[t] === 1) C[users[t]! * K + heavy] = 0;
    codeByAtom(st, t, second[t] === 1 ? rare : heavy);
  }
}
