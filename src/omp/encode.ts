import { describe, fail } from '../core/errors.js';
import { ldexp, maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix64, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { choleskyAppend, choleskySolveInPlace, createCholeskyFactor } from '../linalg/cholesky.js';
import { gram, matmul } from '../linalg/matmul.js';
import { checkUnitRows, rowNorms2 } from './dictionary.js';
import { denseToSparse, type SparseCodes } from './sparse.js';
import { transposeArray } from '../linalg/transpose.js';

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
 * @param X - signals, (nSamples, nFeatures)
 * @throws {@link LatentSpaceError} `INVALID_OPTION` when neither `nNonzero` nor `tol` is
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
 * ```
 */
export function encode(D: MatrixInput, X: MatrixInput, options?: EncodeOptions): OmpResult {
  const opts = checkOptions(options, ENCODE_OPTION_NAMES);
  const d = asMatrix64(D, 'D');
  const x = asMatrix64(X, 'X');
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
  const G = gram(d, { outer: true }) as Matrix<Float64Array>;
  const DX = matmul(d, xs, { transB: true }) as Matrix<Float64Array>;
  const norms = resolved.tol === undefined ? undefined : rowNorms2(xs);
  const result = run(G.data, d.rows, DX.data, x.rows, norms, { ...resolved, tol: resolved.tol === undefined ? undefined : ldexp(resolved.tol, 2 * k) });
  scaleInPlace(result.codes.data, -k);
  if (result.sparse !== undefined && result.sparse.values !== result.codes.data) scaleInPlace(result.sparse.values, -k);
  return result;
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
 * @throws {@link LatentSpaceError} `SHAPE_MISMATCH` when G is not square or DX does not
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
  return run(g.data, g.rows, dx.data, dx.cols, resolved.norms, resolved);
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
 * The Batch-OMP loop over signals (Rubinstein et al. 2008, Algorithm 5). Unvalidated:
 * G is (n × n) row-major, DX is (n × m) row-major, `norms` (m) is present when tol is.
 */
function run(G: Float64Array, n: number, DX: Float64Array, m: number, norms: Float64Array | undefined, r: Resolved): OmpResult {
  const { maxAtoms, tol } = r;
  if (tol !== undefined && norms === undefined) {
    fail('INVALID_OPTION', 'norms: received undefined, expected the signals\' squared norms ‖xᵢ‖² (nSamples values), which tol needs');
  }
  const codes = new Float64Array(m * n);
  const nIter = new Int32Array(m);
  const factor = createCholeskyFactor(Math.max(1, Math.min(maxAtoms, 64)));
  const XD = transposeArray(n, m, DX); // (m × n): signal i's correlations are row i, contiguous
  const b = new Float64Array(n);
  const alpha = new Float64Array(n); // correlations of the residual with every atom
  const beta = new Float64Array(n); // G[:, S]·γ
  const active = new Uint8Array(n);
  const support = new Int32Array(maxAtoms);
  const gamma = new Float64Array(maxAtoms);
  const v = new Float64Array(maxAtoms);
  for (let i = 0; i < m; i++) {
    b.set(XD.subarray(i * n, (i + 1) * n));
    alpha.set(b);
    active.fill(0);
    factor.size = 0;
    let k = 0;
    let eps = tol === undefined ? 0 : norms![i]!; // ‖r‖², tracked without forming r
    let delta = 0;
    while (k < maxAtoms) {
      if (tol !== undefined && eps <= tol) break;
      let lam = -1;
      let best = -1;
      for (let j = 0; j < n; j++) {
        const a = Math.abs(alpha[j]!);
        if (active[j] === 0 && a > best) {
          best = a;
          lam = j;
        }
      }
      // No correlation left worth an atom (sklearn's test: α² < eps).
      if (lam < 0 || best * best < EPS) break;
      const row = lam * n;
      for (let t = 0; t < k; t++) v[t] = G[row + support[t]!]!;
      // A pivot below eps·G[λ,λ]: λ is dependent on the chosen atoms, stop this signal.
      if (!choleskyAppend(factor, v.subarray(0, k), G[row + lam]!, EPS)) break;
      support[k] = lam;
      active[lam] = 1;
      k++;
      for (let t = 0; t < k; t++) gamma[t] = b[support[t]!]!;
      choleskySolveInPlace(factor, gamma, 0);
      // β = G[:, S]·γ as a sum of rows of G (G is symmetric), so every pass is contiguous.
      beta.fill(0);
      for (let t = 0; t < k; t++) {
        const g = gamma[t]!;
        const off = support[t]! * n;
        for (let j = 0; j < n; j++) beta[j] = beta[j]! + g * G[off + j]!;
      }
      for (let j = 0; j < n; j++) alpha[j] = b[j]! - beta[j]!;
      if (tol !== undefined) {
        // ‖r‖² = ‖x‖² − γᵀ·β_S, updated by the change of δ = γᵀβ_S (paper, eq. 14).
        eps += delta;
        delta = 0;
        for (let t = 0; t < k; t++) delta += gamma[t]! * beta[support[t]!]!;
        eps -= delta;
      }
    }
    nIter[i] = k;
    const off = i * n;
    for (let t = 0; t < k; t++) codes[off + support[t]!] = gamma[t]!;
  }
  const result: OmpResult = { codes: { rows: m, cols: n, data: codes }, nIter, clipped: r.clipped };
  if (r.returnSparse) result.sparse = denseToSparse(codes, m, n);
  return result;
}
