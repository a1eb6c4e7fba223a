import { describe, fail } from '../core/errors.js';
import { ldexp, maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix64, asRows, singleRow, type FlatArray, type Matrix, type MatrixInput, type RowsInput } from '../core/matrix.js';
import { checkBoolean, checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { activeBackendName, batchOmpKernel, gemmKernel, regionKernel, residentKernel, syrkKernel } from '../linalg/kernels/dispatch.js';
import { jsRegion } from '../linalg/kernels/resident.js';
import type { Region } from '../linalg/kernels/types.js';
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
  // finiteness scans of their results would find nothing. D and G stay where the kernels
  // read them for the whole call (in WebAssembly memory on that backend): D for the GEMM of
  // every block, G for the Batch-OMP kernel.
  const n = d.rows;
  const atoms = residentKernel()(d.data);
  const G = work('G', n * n);
  try {
    syrkKernel()(false, n, d.cols, atoms.view(), 0, d.cols, G.view(), 0, n);
    const norms = resolved.tol === undefined ? undefined : rowNorms2(xs);
    const source: Correlations = { X: xs.data, D: atoms, nFeatures: d.cols, DX: undefined };
    const result = run(G, n, source, x.rows, norms, { ...resolved, tol: resolved.tol === undefined ? undefined : ldexp(resolved.tol, 2 * k) });
    scaleInPlace(result.codes.data, -k);
    if (result.sparse !== undefined && result.sparse.values !== result.codes.data) scaleInPlace(result.sparse.values, -k);
    return single ? { ...result, codes: singleRow(result.codes), nIter: result.nIter[0]! } : result;
  } finally {
    G.release();
    atoms.release();
  }
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
  const resident = residentKernel()(g.data);
  try {
    return run(resident, g.rows, source, dx.cols, resolved.norms, resolved);
  } finally {
    resident.release();
  }
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
  D: Region<Float64Array> | undefined;
  nFeatures: number;
  /** (nAtoms × nSamples) correlations DXᵀ, or undefined. */
  DX: Float64Array | undefined;
}

// Scratch arrays of the TypeScript backend, kept between calls so that a warm call allocates
// only its results (codes, nIter, the CSR arrays): the garbage of one call is what the
// collector paid for in the next (10k × 256 correlations were 20 MB, their transpose 20 MB
// more). An array over KEEP elements is allocated for its call only, so a large problem
// does not pin its memory. On WebAssembly the work arrays are regions of its memory instead.
const KEEP = 1 << 19;
interface Scratch {
  /** (n × n) G. */
  G: Float64Array;
  /** (block × n) the block's correlations, then (block × maxAtoms) their weights. */
  block: Float64Array;
  /** (block × maxAtoms) the block's supports. */
  support: Int32Array;
  /** With returnSparse, every signal's atoms in the order chosen. */
  chosen: Int32Array;
}
const scratch: Scratch = { G: new Float64Array(0), block: new Float64Array(0), support: new Int32Array(0), chosen: new Int32Array(0) };

/** A scratch array of at least `size` elements (contents unspecified). */
function scratchOf<S extends keyof Scratch>(slot: S, size: number): Scratch[S] {
  if (scratch[slot].length >= size) return scratch[slot];
  const a = new (scratch[slot].constructor as new (n: number) => Scratch[S])(size);
  if (size <= KEEP) scratch[slot] = a;
  return a;
}

/**
 * Work memory for one call, `size` elements: a region of the kernels' memory on
 * WebAssembly, which its kernels read and write in place (nothing copied in or out per
 * block); a scratch array on TypeScript.
 */
function work<S extends 'G' | 'block' | 'support'>(slot: S, size: number): Region<Scratch[S]> {
  return activeBackendName() === 'wasm' ? regionKernel()(scratch[slot], size) : jsRegion(scratchOf(slot, size));
}

/** Correlations per block: rows × nAtoms ≤ 2^16 (512 KiB, kept in L2), at least 16 rows. */
const BLOCK = 1 << 16;
/** Side of the tiles in which a block of DX is transposed. */
const TILE = 32;

/**
 * The Batch-OMP loop over blocks of signals (Rubinstein et al. 2008, Algorithm 5).
 * Unvalidated: G is (n × n) row-major and symmetric, the correlations of the m signals come
 * from `src`, `norms` (m) is present when tol is. Each block's correlations are computed at
 * once (one GEMM on the active backend) into work memory, where the Batch-OMP kernel
 * (`batchOmpKernel`, ../linalg/kernels/omp.ts) codes the block's signals, leaving their
 * supports and weights beside them; they are then written into the codes.
 */
function run(G: Region<Float64Array>, n: number, src: Correlations, m: number, norms: Float64Array | undefined, r: Resolved): OmpResult {
  const { maxAtoms, tol } = r;
  if (tol !== undefined && norms === undefined) {
    fail('INVALID_OPTION', 'norms: received undefined, expected the signals\' squared norms ‖xᵢ‖² (nSamples values), which tol needs');
  }
  const codes = new Float64Array(m * n);
  const nIter = new Int32Array(m);
  const block = Math.min(m, Math.max(16, Math.floor(BLOCK / n)));
  const weights = block * n; // where the block's weights start in `data`
  const out: Written = { codes, n, maxAtoms, weights, chosen: r.returnSparse ? scratchOf('chosen', m * Math.min(maxAtoms, 8)) : undefined, nChosen: 0, nnz: 0 };
  const data = work('block', block * (n + maxAtoms));
  const support = work('support', block * maxAtoms);
  try {
    for (let i0 = 0; i0 < m; i0 += block) {
      const rows = Math.min(block, m - i0);
      correlationsBlock(src, n, m, i0, rows, data.view());
      batchOmpKernel()(
        rows, n, maxAtoms, tol ?? -1, G.view(), 0, data.view(), 0, tol === undefined ? null : norms!, i0,
        support.view(), 0, data.view(), weights, nIter, i0,
      );
      writeBlock(out, i0, rows, nIter, support.view(), data.view());
    }
  } finally {
    support.release();
    data.release();
  }
  const result: OmpResult = { codes: { rows: m, cols: n, data: codes }, nIter, clipped: r.clipped };
  if (out.chosen !== undefined) result.sparse = sparseFromSupports(codes, m, n, nIter, out.chosen, out.nnz);
  return result;
}

/** The codes being written, and with returnSparse every signal's atoms in the order chosen. */
interface Written {
  /** (m × n) the codes. */
  codes: Float64Array;
  n: number;
  maxAtoms: number;
  /** Where a block's weights start in its work array. */
  weights: number;
  chosen: Int32Array | undefined;
  nChosen: number;
  /** Non-zero weights written so far. */
  nnz: number;
}

/**
 * The codes of signals i0 … i0 + rows from the kernel's output: signal i0 + s has nIter
 * atoms at support[s·maxAtoms …], their weights at values[weights + s·maxAtoms …]. A
 * function of its own, which reads every float of the loop over blocks: it is optimised
 * early in a cold call (floats boxed by the interpreter are garbage).
 */
function writeBlock(w: Written, i0: number, rows: number, nIter: Int32Array, support: Int32Array, values: Float64Array): void {
  const { codes, n, maxAtoms, weights } = w;
  let { chosen, nChosen, nnz } = w;
  for (let s = 0; s < rows; s++) {
    const k = nIter[i0 + s]!, off = (i0 + s) * n, from = s * maxAtoms;
    for (let t = 0; t < k; t++) {
      const v = values[weights + from + t]!;
      codes[off + support[from + t]!] = v;
      if (v !== 0) nnz++;
    }
    if (chosen !== undefined) {
      if (nChosen + k > chosen.length) chosen = grown(chosen, nChosen, nChosen + k);
      for (let t = 0; t < k; t++) chosen[nChosen++] = support[from + t]!;
    }
  }
  w.chosen = chosen;
  w.nChosen = nChosen;
  w.nnz = nnz;
}

/** A larger copy of `chosen`'s first `used` entries, room for at least `size` (kept as scratch if small). */
function grown(chosen: Int32Array, used: number, size: number): Int32Array {
  const next = new Int32Array(Math.max(2 * chosen.length, size));
  next.set(chosen.subarray(0, used));
  if (next.length <= KEEP) scratch.chosen = next;
  return next;
}

/** Rows i0 … i0 + rows of X·Dᵀ (= DXᵀ) into `out`, (rows × n) row-major. */
function correlationsBlock(src: Correlations, n: number, m: number, i0: number, rows: number, out: Float64Array): void {
  const { DX } = src;
  if (DX === undefined) {
    // X·Dᵀ, not (D·Xᵀ)ᵀ: both kernels sum every entry over the features in order, so the
    // values are those of D·Xᵀ bit for bit, without the transpose.
    const f = src.nFeatures;
    gemmKernel()(false, true, rows, n, f, 1, src.X!, i0 * f, f, src.D!.view(), 0, f, 0, out, 0, n);
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
