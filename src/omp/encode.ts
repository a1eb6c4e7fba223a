import { describe, fail } from '../core/errors.js';
import { ldexp, maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix64, asRows, singleRow, type FlatArray, type Matrix, type MatrixInput, type RowsInput } from '../core/matrix.js';
import { checkBoolean, checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { choleskyAppendKernel } from '../linalg/cholesky.js';
import { gemmKernel, syrkKernel } from '../linalg/kernels/dispatch.js';
import { trsv } from '../linalg/kernels/triangular.js';
import { checkUnitRows, rowNorms2 } from './dictionary.js';
import type { SparseCodes } from './sparse.js';

/** Options of {@link encode}. One of `nNonzero` and `tol` is required. */
export interface EncodeOptions {
  /**
   * Stop a signal after this many atoms. Values above min(nFeatures, nAtoms) are clipped
   * to it (and the result says `clipped: true`).
   * @defaultValue undefined (no limit other than min(nFeatures, nAtoms); then `tol` is required)
   */
  nNonzero?: number;
  /**
   * Stop a signal once its squared residual norm ‖x − Dᵀc‖² is at most `tol`. With both
   * options, a signal stops at whichever comes first.
   * @defaultValue undefined (then `nNonzero` is required)
   */
  tol?: number;
  /** Also return the codes in CSR form. @defaultValue false */
  returnSparse?: boolean;
}

/** Options of {@link encodeGram}: those of {@link encode} and the signals' squared norms. */
export interface EncodeGramOptions extends EncodeOptions {
  /**
   * ‖xᵢ‖² of every signal, (nSamples): required with `tol`, since G and DXᵀ alone do not
   * know the signals' energy.
   * @defaultValue undefined
   */
  norms?: ArrayLike<number>;
}

/** The result of {@link encode} and {@link encodeGram}. */
export interface OmpResult {
  /** Codes, (nSamples, nAtoms), row i the weights of signal i: X ≈ codes · D. */
  codes: Matrix<Float64Array>;
  /** The same codes in CSR form, with `returnSparse: true`. */
  sparse?: SparseCodes;
  /** (nSamples) atoms used by every signal (fewer than `nNonzero` when it stopped early). */
  nIter: Int32Array;
  /** Whether `nNonzero` exceeded min(nFeatures, nAtoms) and was clipped to it. */
  clipped: boolean;
}

/** The result of {@link encode} for one signal given as a flat array: the one row of each field. */
export interface OmpRowResult {
  /** The signal's code, (nAtoms): x ≈ codes · D. */
  codes: Float64Array;
  /** The same code in CSR form (one row), with `returnSparse: true`. */
  sparse?: SparseCodes;
  /** Atoms the signal used. */
  nIter: number;
  /** Whether `nNonzero` exceeded min(nFeatures, nAtoms) and was clipped to it. */
  clipped: boolean;
}

const EPS = Number.EPSILON;

/** Every option name of {@link EncodeOptions} (unknown ones are rejected). */
const ENCODE_OPTION_NAMES = optionNames<EncodeOptions>()('nNonzero', 'tol', 'returnSparse');

/**
 * Orthogonal Matching Pursuit: for every signal xᵢ (a row of X), greedily picks at most
 * `nNonzero` atoms of D, refitting all chosen weights by least squares at every step,
 * until `nNonzero` atoms are used or ‖xᵢ − Dᵀcᵢ‖² ≤ `tol`. Implemented as Batch-OMP:
 * G = DDᵀ and DXᵀ are computed once (on the active backend), then every signal works on
 * nAtoms correlations only, with a Cholesky factor of G[S, S] grown one atom at a time.
 * A signal also stops early, without NaN, when the best remaining atom is (numerically)
 * dependent on the chosen ones or uncorrelated with the residual. Computed in float64.
 * Neither D nor X is modified.
 *
 * @param D - dictionary, (nAtoms, nFeatures), unit-norm rows
 * @param X - signals, (nSamples, nFeatures); or one signal as a `number[]` or 1-D typed
 *   array, which gives its code as one row ({@link OmpRowResult})
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` when neither `nNonzero` nor `tol` is
 *   given or one is out of range; `INVALID_INPUT` when an atom is not unit-norm;
 *   `SHAPE_MISMATCH` when X and D have different numbers of columns
 *
 * @see Rubinstein, Zibulevsky & Elad, "Efficient implementation of the K-SVD algorithm
 *   using Batch Orthogonal Matching Pursuit", Technion CS-2008-08 (2008)
 * @see Pati, Rezaiifar & Krishnaprasad, "Orthogonal matching pursuit", Asilomar (1993)
 *
 * @example
 * ```ts
 * const D = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
 * const { codes } = encode(D, [[0, 3, 0.5]], { nNonzero: 1 });
 * Array.from(codes.data); // [0, 3, 0]
 * encode(D, [0, 3, 0.5], { nNonzero: 1 }).codes; // Float64Array [0, 3, 0]
 * ```
 */
export function encode(D: MatrixInput, X: FlatArray, options?: EncodeOptions): OmpRowResult;
export function encode(D: MatrixInput, X: RowsInput, options?: EncodeOptions): OmpResult;
export function encode(D: MatrixInput, X: RowsInput | FlatArray, options?: EncodeOptions): OmpResult | OmpRowResult;
export function encode(D: MatrixInput, X: RowsInput | FlatArray, options?: EncodeOptions): OmpResult | OmpRowResult {
  const opts = checkOptions(options, ENCODE_OPTION_NAMES);
  const d = asMatrix64(D, 'D');
  const { matrix: x, single } = asRows(X, 'X', { dtype: 'float64' });
  if (x.cols !== d.cols) {
    fail('SHAPE_MISMATCH', `X: received ${x.rows} × ${x.cols} signals, expected ${d.cols} columns (the dictionary's nFeatures; D is ${d.rows} × ${d.cols})`);
  }
  checkUnitRows(d, 'D');
  const resolved = resolve(opts, Math.min(d.cols, d.rows), x.rows, undefined);
  // OMP is scale-equivariant: codes(2^k·X) = 2^k·codes(X) with tol (on ‖r‖²) times 4^k.
  // Signals beyond 2^±200 are scaled first, so that their squared norms neither overflow
  // nor underflow (subnormal signals otherwise stopped at once with zero codes).
  const k = safeScaleExponent(maxAbs(x.data), 'float64');
  const xs = { rows: x.rows, cols: x.cols, data: scaledBy(x.data, k) };
  // G = DDᵀ on the active backend, straight through the kernel: D's rows are unit-norm and
  // X lies within 2^±200, so neither G nor X·Dᵀ can overflow and the public functions'
  // finiteness scans of their results would find nothing.
  const n = d.rows;
  const G = scratchF64('G', n * n);
  syrkKernel()(false, n, d.cols, d.data, 0, d.cols, G, 0, n);
  const norms = resolved.tol === undefined ? undefined : rowNorms2(xs);
  const source: Correlations = { X: xs.data, D: d.data, nFeatures: d.cols, DX: undefined };
  const result = run(G, n, source, x.rows, norms, { ...resolved, tol: resolved.tol === undefined ? undefined : ldexp(resolved.tol, 2 * k) });
  scaleInPlace(result.codes.data, -k);
  if (result.sparse !== undefined && result.sparse.values !== result.codes.data) scaleInPlace(result.sparse.values, -k);
  return single ? { ...result, codes: singleRow(result.codes), nIter: result.nIter[0]! } : result;
}

/** Every option name of {@link EncodeGramOptions} (unknown ones are rejected). */
const ENCODE_GRAM_OPTION_NAMES = optionNames<EncodeGramOptions>()('norms', 'nNonzero', 'tol', 'returnSparse');

/**
 * Batch-OMP from precomputed G = DDᵀ and DXᵀ, for callers that already hold them (K-SVD
 * codes the same signals against a changing dictionary; many signals share one G). Same
 * stopping rules as {@link encode}; with only G, nNonzero is clipped to nAtoms. Neither
 * input is modified.
 *
 * @param G - Gram matrix of the atoms, (nAtoms, nAtoms), symmetric
 * @param DX - correlations DXᵀ, (nAtoms, nSamples): column i holds ⟨dⱼ, xᵢ⟩ for every atom j
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when G is not square or DX does not
 *   have nAtoms rows; `INVALID_OPTION` as for {@link encode}, and when `tol` is given
 *   without `norms` (or `norms` has the wrong length or negative values)
 *
 * @example
 * ```ts
 * const G = [[1, 0], [0, 1]];
 * const DX = [[0.5], [2]];                       // one signal: x = 0.5·d₀ + 2·d₁
 * const { codes } = encodeGram(G, DX, { tol: 0.3, norms: [4.25] });
 * Array.from(codes.data);                        // [0, 2]
 * ```
 */
export function encodeGram(G: MatrixInput, DX: MatrixInput, options?: EncodeGramOptions): OmpResult {
  const opts = checkOptions(options, ENCODE_GRAM_OPTION_NAMES);
  const g = asMatrix64(G, 'G');
  const dx = asMatrix64(DX, 'DX');
  if (g.rows !== g.cols) fail('SHAPE_MISMATCH', `G: received a ${g.rows} × ${g.cols} matrix, expected a square (nAtoms × nAtoms) Gram matrix`);
  if (dx.rows !== g.rows) {
    fail('SHAPE_MISMATCH', `DX: received ${dx.rows} × ${dx.cols}, expected ${g.rows} rows (nAtoms × nSamples, the transpose of X·Dᵀ)`);
  }
  const resolved = resolve(opts, g.rows, dx.cols, opts.norms);
  const source: Correlations = { X: undefined, D: undefined, nFeatures: 0, DX: dx.data };
  return run(g.data, g.rows, source, dx.cols, resolved.norms, resolved);
}

interface Resolved {
  maxAtoms: number;
  tol: number | undefined;
  returnSparse: boolean;
  clipped: boolean;
  norms: Float64Array | undefined;
}

function resolve(opts: Partial<EncodeGramOptions>, limit: number, nSamples: number, norms: unknown): Resolved {
  if (opts.nNonzero === undefined && opts.tol === undefined) {
    fail('INVALID_OPTION', 'options: received neither nNonzero nor tol, expected at least one of them (nNonzero: atoms per signal; tol: squared residual norm at which to stop)');
  }
  const nNonzero = opts.nNonzero === undefined ? undefined : checkInt(opts.nNonzero, 'nNonzero', 1);
  const tol = opts.tol === undefined ? undefined : checkNumber(opts.tol, 'tol', 0);
  const returnSparse = checkBoolean(opts.returnSparse ?? false, 'returnSparse');
  const clipped = nNonzero !== undefined && nNonzero > limit;
  const maxAtoms = nNonzero === undefined ? limit : Math.min(nNonzero, limit);
  let n: Float64Array | undefined;
  if (norms !== undefined) {
    if (norms === null || typeof norms !== 'object' || typeof (norms as ArrayLike<number>).length !== 'number') {
      fail('INVALID_OPTION', `norms: received ${describe(norms)}, expected ${nSamples} squared signal norms`);
    }
    const a = norms as ArrayLike<number>;
    if (a.length !== nSamples) fail('INVALID_OPTION', `norms: received ${a.length} values, expected ${nSamples} (one ‖xᵢ‖² per signal)`);
    n = new Float64Array(nSamples);
    for (let i = 0; i < nSamples; i++) n[i] = checkNumber(a[i], `norms[${i}]`, 0);
  }
  return { maxAtoms, tol, returnSparse, clipped, norms: n };
}

/**
 * Where the correlations of a block of signals with every atom come from: X·Dᵀ, one GEMM
 * per block ({@link encode}), or a block of the caller's DX transposed ({@link encodeGram}).
 */
interface Correlations {
  /** (nSamples × nFeatures) signals, with `D`; undefined with `DX`. */
  X: Float64Array | undefined;
  /** (nAtoms × nFeatures) dictionary, with `X`. */
  D: Float64Array | undefined;
  nFeatures: number;
  /** (nAtoms × nSamples) correlations DXᵀ, or undefined. */
  DX: Float64Array | undefined;
}

// Scratch arrays, kept between calls so that a warm call allocates only its results (codes,
// nIter, the CSR arrays): the garbage of one call is what the collector paid for in the
// next (10k × 256 correlations were 20 MB, their transpose 20 MB more). An array over KEEP
// elements is allocated for its call only, so a large problem does not pin its memory.
const KEEP = 1 << 19;
type F64Slot = 'G' | 'XD' | 'alpha' | 'gamma' | 'L';
const f64Scratch: Record<F64Slot, Float64Array> = { G: new Float64Array(0), XD: new Float64Array(0), alpha: new Float64Array(0), gamma: new Float64Array(0), L: new Float64Array(0) };
const i32Scratch = { support: new Int32Array(0), chosen: new Int32Array(0) };
let activeScratch = new Uint8Array(0);

/** A float64 scratch array of at least `size` elements (contents unspecified). */
function scratchF64(slot: F64Slot, size: number): Float64Array {
  if (f64Scratch[slot].length >= size) return f64Scratch[slot];
  const a = new Float64Array(size);
  if (size <= KEEP) f64Scratch[slot] = a;
  return a;
}

/** An int32 scratch array of at least `size` elements (contents unspecified). */
function scratchI32(slot: 'support' | 'chosen', size: number): Int32Array {
  if (i32Scratch[slot].length >= size) return i32Scratch[slot];
  const a = new Int32Array(size);
  if (size <= KEEP) i32Scratch[slot] = a;
  return a;
}

/** Correlations per block: rows × nAtoms ≤ 2^16 (512 KiB, kept in L2), at least 16 rows. */
const BLOCK = 1 << 16;
/** Side of the tiles in which a block of DX is transposed. */
const TILE = 32;

/**
 * The Batch-OMP loop over signals (Rubinstein et al. 2008, Algorithm 5). Unvalidated:
 * G is (n × n) row-major and symmetric, the correlations of the m signals come from `src`,
 * `norms` (m) is present when tol is. Signals are taken in blocks whose correlations are
 * computed at once (one GEMM on the active backend) into a reused scratch block; every
 * per-signal array is scratch too, so the loop creates no objects. The work of one signal
 * is a function of its own ({@link codeSignal}): small functions are optimised early in a
 * cold call, and completely (one large loop compiled on stack replacement was deoptimised
 * on the paths its first signals had not taken, and compiled again).
 */
function run(G: Float64Array, n: number, src: Correlations, m: number, norms: Float64Array | undefined, r: Resolved): OmpResult {
  const { maxAtoms, tol } = r;
  if (tol !== undefined && norms === undefined) {
    fail('INVALID_OPTION', 'norms: received undefined, expected the signals\' squared norms ‖xᵢ‖² (nSamples values), which tol needs');
  }
  const codes = new Float64Array(m * n);
  const nIter = new Int32Array(m);
  const block = Math.min(m, Math.max(16, Math.floor(BLOCK / n)));
  if (activeScratch.length < n) activeScratch = new Uint8Array(n);
  activeScratch.fill(0, 0, n);
  const ld = Math.max(1, Math.min(maxAtoms, 64));
  const w: Work = {
    G, n, maxAtoms, tol,
    XD: scratchF64('XD', block * n),
    alpha: scratchF64('alpha', n),
    active: activeScratch,
    support: scratchI32('support', maxAtoms),
    gamma: scratchF64('gamma', maxAtoms),
    L: scratchF64('L', ld * ld),
    ld,
    codes,
    nnz: 0,
  };
  const { XD, support } = w;
  // With returnSparse, every signal's atoms in the order chosen (nIter[i] of them).
  let chosen = r.returnSparse ? scratchI32('chosen', m * Math.min(maxAtoms, 8)) : i32Scratch.chosen;
  let nChosen = 0;
  for (let i0 = 0; i0 < m; i0 += block) {
    const rows = Math.min(block, m - i0);
    correlationsBlock(src, n, m, i0, rows, XD);
    for (let s = 0; s < rows; s++) {
      const i = i0 + s;
      const k = codeSignal(w, s * n, i, norms);
      nIter[i] = k;
      if (r.returnSparse) {
        if (nChosen + k > chosen.length) {
          const next = new Int32Array(Math.max(2 * chosen.length, nChosen + k));
          next.set(chosen.subarray(0, nChosen));
          chosen = next;
          if (next.length <= KEEP) i32Scratch.chosen = next;
        }
        for (let t = 0; t < k; t++) chosen[nChosen++] = support[t]!;
      }
    }
  }
  const result: OmpResult = { codes: { rows: m, cols: n, data: codes }, nIter, clipped: r.clipped };
  if (r.returnSparse) result.sparse = sparseFromSupports(codes, m, n, nIter, chosen, w.nnz);
  return result;
}

/** What the signals of one call share: G, the stopping rules, and the scratch arrays. */
interface Work {
  /** (n × n) Gram matrix of the atoms. */
  G: Float64Array;
  n: number;
  maxAtoms: number;
  tol: number | undefined;
  /** (block × n) the block's correlations DXᵀ. */
  XD: Float64Array;
  /** (n) correlations of the residual with every atom. */
  alpha: Float64Array;
  /** (n) 1 for the atoms chosen; {@link codeSignal} clears its own before it returns. */
  active: Uint8Array;
  /** (maxAtoms) the atoms chosen, in order. */
  support: Int32Array;
  /** (maxAtoms) their weights. */
  gamma: Float64Array;
  /** The Cholesky factor of G[S, S], row-major with leading dimension `ld`. */
  L: Float64Array;
  ld: number;
  /** (m × n) the codes being written. */
  codes: Float64Array;
  /** Non-zero weights written so far. */
  nnz: number;
}

/**
 * Batch-OMP for signal i, whose correlations b = DᵀX[i] are XD[b … b + n) and whose
 * squared norm is norms[i] (read with tol only): writes its code (row i of `codes`) and
 * returns k, the atoms chosen, with support[0 … k) and their weights gamma[0 … k).
 * Everything that reads a float is here, not in {@link run}'s loop over signals, which
 * stays cheap before it is optimised (floats boxed by the interpreter are garbage).
 */
function codeSignal(w: Work, b: number, i: number, norms: Float64Array | undefined): number {
  const { G, n, maxAtoms, tol, XD, alpha, active, support, gamma } = w;
  let { L, ld } = w;
  // The first atom: the largest |bⱼ| (no atom is active yet).
  let lam = -1;
  let best = -1;
  for (let j = 0; j < n; j++) {
    const a = Math.abs(XD[b + j]!);
    if (a > best) {
      best = a;
      lam = j;
    }
  }
  let k = 0;
  let eps = norms === undefined ? 0 : norms[i]!; // ‖r‖², tracked without forming r
  let delta = 0;
  while (k < maxAtoms) {
    if (tol !== undefined && eps <= tol) break;
    // No correlation left worth an atom (sklearn's test: α² < eps).
    if (lam < 0 || best * best < EPS) break;
    // Grow L by the row (L⁻¹·G[S, λ], pivot); a pivot at most eps·G[λ,λ] (or G[λ,λ] ≤ 0)
    // means λ is dependent on the chosen atoms: stop this signal (choleskyAppend's rule).
    const row = lam * n;
    const diag = G[row + lam]!;
    if (!(diag > 0)) break;
    if (k === ld) {
      // Full: double L (as createCholeskyFactor's factor does); kept for later signals.
      const next = new Float64Array(4 * ld * ld);
      for (let t = 0; t < k; t++) next.set(L.subarray(t * ld, t * ld + t + 1), t * 2 * ld);
      ld *= 2;
      L = next;
      w.L = next;
      w.ld = ld;
      if (next.length <= KEEP) f64Scratch.L = next;
    }
    const lrow = k * ld;
    for (let t = 0; t < k; t++) L[lrow + t] = G[row + support[t]!]!;
    if (!(choleskyAppendKernel(k, ld, L, diag) > EPS * diag)) break;
    support[k] = lam;
    active[lam] = 1;
    k++;
    // γ = G[S, S]⁻¹·b[S] by the two triangular solves with L.
    for (let t = 0; t < k; t++) gamma[t] = XD[b + support[t]!]!;
    trsv(true, false, false, k, L, 0, ld, gamma, 0, 1);
    trsv(true, true, false, k, L, 0, ld, gamma, 0, 1);
    // α = b − G[:, S]·γ and the next atom; not needed after the last one.
    if (k < maxAtoms) {
      lam = residualCorrelations(G, n, XD, b, alpha, active, support, gamma, k);
      best = lam < 0 ? -1 : Math.abs(alpha[lam]!);
    }
    if (tol !== undefined) {
      // ‖r‖² = ‖x‖² − γᵀ·β_S, updated by the change of δ = γᵀβ_S (paper, eq. 14).
      eps += delta;
      delta = 0;
      for (let t = 0; t < k; t++) {
        const off = support[t]!;
        let beta = 0; // β[S_t] = (G[:, S]·γ)[S_t], summed in the order of the full product
        for (let u = 0; u < k; u++) beta += gamma[u]! * G[support[u]! * n + off]!;
        delta += gamma[t]! * beta;
      }
      eps -= delta;
    }
  }
  const { codes } = w;
  const off = i * n;
  let nnz = 0;
  for (let t = 0; t < k; t++) {
    codes[off + support[t]!] = gamma[t]!;
    active[support[t]!] = 0;
    if (gamma[t] !== 0) nnz++;
  }
  w.nnz += nnz;
  return k;
}

/** Rows i0 … i0 + rows of X·Dᵀ (= DXᵀ) into `out`, (rows × n) row-major. */
function correlationsBlock(src: Correlations, n: number, m: number, i0: number, rows: number, out: Float64Array): void {
  const { DX } = src;
  if (DX === undefined) {
    // X·Dᵀ, not (D·Xᵀ)ᵀ: both kernels sum every entry over the features in order, so the
    // values are those of D·Xᵀ bit for bit, without the transpose.
    const f = src.nFeatures;
    gemmKernel()(false, true, rows, n, f, 1, src.X!, i0 * f, f, src.D!, 0, f, 0, out, 0, n);
    return;
  }
  for (let j0 = 0; j0 < n; j0 += TILE) {
    const j1 = Math.min(j0 + TILE, n);
    for (let s = 0; s < rows; s++) {
      const o = s * n, c = i0 + s;
      for (let j = j0; j < j1; j++) out[o + j] = DX[j * m + c]!;
    }
  }
}

/**
 * α = b − G[:, S]·γ over every atom, with b = XD[b …], and the index of the largest |αⱼ|
 * over the inactive atoms (−1 if none; ties go to the first). G is symmetric, so G[:, S]·γ
 * is a sum of rows of G; each αⱼ sums its k terms in the order t = 0, 1, … (as the product
 * β = G[:, S]·γ accumulated row by row did), four rows per pass over the atoms, the last
 * pass fused with the subtraction from b and the search for the next atom.
 */
function residualCorrelations(
  G: Float64Array, n: number, XD: Float64Array, b: number, alpha: Float64Array,
  active: Uint8Array, support: Int32Array, gamma: Float64Array, k: number,
): number {
  let t = 0;
  // Whole passes of four rows while more than four remain: partial sums of β in alpha.
  for (; t + 4 < k; t += 4) {
    const g0 = gamma[t]!, g1 = gamma[t + 1]!, g2 = gamma[t + 2]!, g3 = gamma[t + 3]!;
    const o0 = support[t]! * n, o1 = support[t + 1]! * n, o2 = support[t + 2]! * n, o3 = support[t + 3]! * n;
    const first = t === 0;
    for (let j = 0; j < n; j++) {
      alpha[j] = (first ? 0 : alpha[j]!) + g0 * G[o0 + j]! + g1 * G[o1 + j]! + g2 * G[o2 + j]! + g3 * G[o3 + j]!;
    }
  }
  const first = t === 0;
  const rest = k - t; // 1 … 4 rows in the last pass
  const g0 = gamma[t]!, g1 = rest > 1 ? gamma[t + 1]! : 0, g2 = rest > 2 ? gamma[t + 2]! : 0, g3 = rest > 3 ? gamma[t + 3]! : 0;
  const o0 = support[t]! * n, o1 = rest > 1 ? support[t + 1]! * n : 0, o2 = rest > 2 ? support[t + 2]! * n : 0, o3 = rest > 3 ? support[t + 3]! * n : 0;
  let lam = -1;
  let best = -1;
  // One loop per row count: the bodies differ only in how many terms they add.
  switch (rest) {
    case 1:
      for (let j = 0; j < n; j++) {
        const a = XD[b + j]! - ((first ? 0 : alpha[j]!) + g0 * G[o0 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
      break;
    case 2:
      for (let j = 0; j < n; j++) {
        const a = XD[b + j]! - ((first ? 0 : alpha[j]!) + g0 * G[o0 + j]! + g1 * G[o1 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
      break;
    case 3:
      for (let j = 0; j < n; j++) {
        const a = XD[b + j]! - ((first ? 0 : alpha[j]!) + g0 * G[o0 + j]! + g1 * G[o1 + j]! + g2 * G[o2 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
      break;
    default:
      for (let j = 0; j < n; j++) {
        const a = XD[b + j]! - ((first ? 0 : alpha[j]!) + g0 * G[o0 + j]! + g1 * G[o1 + j]! + g2 * G[o2 + j]! + g3 * G[o3 + j]!);
        alpha[j] = a;
        const m = Math.abs(a);
        if (m > best && active[j] === 0) { best = m; lam = j; }
      }
  }
  return lam;
}

/**
 * The CSR form of the codes from every signal's atoms (`chosen`, nIter[i] per signal, in
 * the order chosen): indices sorted within each row, zero weights left out (as
 * denseToSparse does), `nnz` the number of non-zero weights.
 */
function sparseFromSupports(codes: Float64Array, m: number, n: number, nIter: Int32Array, chosen: Int32Array, nnz: number): SparseCodes {
  const indptr = new Int32Array(m + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  let q = 0;
  for (let i = 0; i < m; i++) {
    const k = nIter[i]!;
    // Insertion sort: k is small (at most nNonzero).
    for (let a = q + 1; a < q + k; a++) {
      const v = chosen[a]!;
      let c = a - 1;
      for (; c >= q && chosen[c]! > v; c--) chosen[c + 1] = chosen[c]!;
      chosen[c + 1] = v;
    }
    for (let t = q; t < q + k; t++) {
      const v = codes[i * n + chosen[t]!]!;
      if (v !== 0) {
        indices[p] = chosen[t]!;
        values[p++] = v;
      }
    }
    q += k;
    indptr[i + 1] = p;
  }
  return { rows: m, cols: n, indptr, indices, values };
}
