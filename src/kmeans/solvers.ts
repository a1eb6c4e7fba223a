import type { FloatArray } from '../core/matrix.js';
import { allocate } from '../linalg/dtype.js';
import { Assignment } from './centres.js';
import { sqDistanceAt as sqDistance } from '../linalg/rows.js';
import { blockRows, forEachBlock, shiftedCentres, type IntRows, type KernelCentres, type PreparedSource, type RowSource } from './source.js';
import {
  activeBackendName, argmin2RowsKernel, argminRowsKernel, assignedSqDistancesKernel, quantizedScoresAtKernel, quantizedScoresKernel, regionKernel, sqDistancesKernel,
} from '../linalg/kernels/dispatch.js';
import { quantizeUnits, scoreError } from '../linalg/quantize.js';
import { gemmDistanceBound } from '../linalg/rows.js';

/**
 * The algorithms that can run an iteration.
 *
 * @example
 * ```ts
 * const model = kmeans.fit(X, { k: 3 });
 * const ran: Algorithm = model.algorithm === 'minibatch' ? 'lloyd' : model.algorithm;
 * ```
 */
export type Algorithm = 'lloyd' | 'elkan' | 'hamerly';

/**
 * What every solver shares: the data, the weights and the labels with their per-cluster sums.
 *
 * @example
 * ```ts
 * const ctx: SolverContext = { src, w: undefined, k, assignment: new Assignment(src, undefined, k, blockRows(src.d, k)) };
 * ```
 */
export interface SolverContext {
  readonly src: PreparedSource;
  readonly w: Float64Array | undefined;
  readonly k: number;
  readonly assignment: Assignment;
}

/**
 * The assignment half of an iteration. Solvers differ only in how they find each row's
 * nearest centre: Lloyd measures distances with the kernels (all of them, or on
 * WebAssembly those its float32 screening's bounds leave in doubt); Elkan and Hamerly keep
 * triangle-inequality bounds and measure only the distances the bounds cannot rule out.
 *
 * @example
 * ```ts
 * const solver = createSolver('elkan', ctx);
 * solver.assign(centres); // labels in ctx.assignment
 * ```
 */
export interface Solver {
  /** Labels every row with its nearest centre of `centres` (k × d), committing them to the assignment. */
  assign(centres: Float64Array): void;
  /** Squared distance of every row to its assigned centre of `centres` (for re-seeding empty clusters). */
  distances(centres: Float64Array): Float64Array;
  /** The centres moved by `shifts` (Euclidean, per centre): loosen the bounds. */
  shifted(shifts: Float64Array): void;
}

/**
 * Creates the solver of that name.
 *
 * @example
 * ```ts
 * createSolver('hamerly', ctx).assign(centres);
 * ```
 */
export function createSolver(algorithm: Algorithm, ctx: SolverContext): Solver {
  switch (algorithm) {
    case 'lloyd': return lloyd(ctx);
    case 'elkan': return elkan(ctx);
    case 'hamerly': return hamerly(ctx);
  }
}

function centresFor(ctx: SolverContext, centres: Float64Array): KernelCentres {
  return ctx.src.centres(centres, ctx.k);
}

// Screening float64 data with float32 distances pays on the WebAssembly backend (twice
// the SIMD lanes, half the bytes) once rows are long enough for the GEMM to dominate; it
// is abandoned for a run if more than this fraction of rows needs a float64 recheck.
const SCREEN_MIN_FEATURES = 16;
const SCREEN_MAX_RECHECK = 0.25;

/**
 * Whether a Lloyd fit of float64 data with d features and k clusters screens its distances
 * (so its data should come with a screening copy: int16 for data on a grid, float32
 * otherwise, see prepareSource): on the WebAssembly backend, with rows long enough.
 *
 * @example
 * ```ts
 * screens('lloyd', { cols: 784, data: new Float64Array(784) }, 10); // true on the WebAssembly backend
 * ```
 */
export function screens(algorithm: Algorithm, X: { cols: number; data: FloatArray }, k: number): boolean {
  return algorithm === 'lloyd' && X.data instanceof Float64Array && X.cols >= SCREEN_MIN_FEATURES && k > 1 && activeBackendName() === 'wasm';
}

/**
 * A bound on |D̂ − D| for a squared distance computed in float32 as ‖x‖² + ‖c‖² − 2x·c
 * from float64 x and c (rounded to float32 first): every dot product of length d, in any
 * summation order, errs by at most γ_d Σ|xᵢcᵢ| (Higham, Accuracy and Stability of
 * Numerical Algorithms, §3.1); rounding the inputs, the norms and the two final additions
 * add a few units of roundoff, and Σ|xᵢcᵢ| ≤ ‖x‖‖c‖. So |D̂ − D| ≤ γ_{d+5}(‖x‖ + ‖c‖)²,
 * doubled here for margin.
 *
 * @example
 * ```ts
 * float32DistanceError(784, 10, 7); // ≈ 0.027
 * ```
 */
export function float32DistanceError(d: number, normX: number, normC: number): number {
  const t = normX + normC;
  return float32ErrorFactor(d) * t * t;
}

/** 2γ_{d+5} for float32 (unit roundoff 2⁻²⁴): the factor of {@link float32DistanceError}. */
function float32ErrorFactor(d: number): number {
  const nu = (d + 5) * 2 ** -24;
  return (2 * nu) / (1 - nu);
}

/** Largest ‖c − shift‖ among the k centres (k × d). */
function largestNorm(centres: Float64Array, k: number, shift: Float64Array): number {
  const d = shift.length;
  let max = 0;
  for (let c = 0; c < k; c++) max = Math.max(max, sqDistance(centres, c * d, shift, 0, d));
  return Math.sqrt(max);
}

// Bounds on distances are kept with this much relative slack, far above the rounding of
// their own bookkeeping (a few float64 operations per iteration) and far below the float32
// margin they are compared with (≈ 1e-4 relative for d = 784).
const SLACK = 2 ** -40;

/**
 * Lloyd's iteration: squared distances to all centres by the kernel (one GEMM or direct
 * product per block of rows), nearest centre by the kernel's argmin, the labels committed
 * block by block.
 *
 * On the WebAssembly backend, float64 data is first screened: by exact int16 dot products
 * when it lies on a grid (see {@link intScreen}), in float32 otherwise. A row whose two best
 * screened scores differ by more than both their rounding bounds
 * ({@link float32DistanceError}, or the integer screen's) has the same nearest centre in
 * exact arithmetic, hence in float64; the other rows (typically well under 1 %) are
 * measured again in float64. The labels are those of the float64 computation, at nearly
 * float32 speed.
 *
 * The screened pass also keeps Hamerly's bounds per row (an upper bound on the distance to
 * its centre, a lower bound on the distance to any other, loosened by the centres' moves):
 * a row whose bounds prove a margin above the float64 computation's own rounding (for the
 * float32 screen, the float32 bound, as large as it is) keeps its label without being
 * measured, since it is then the nearest centre in exact arithmetic, the one both the
 * screening and the float64 distances would give. So the labels are unchanged, bit for
 * bit, and later iterations measure only the rows near a boundary.
 */
function lloyd(ctx: SolverContext): Solver {
  const { src, k, assignment } = ctx;
  const { n } = src;
  const rows = blockRows(src.d, k);
  const fresh = new Int32Array(rows);
  const queue = new Int32Array(rows);
  const rechecked = new Int32Array(rows);
  const first = new Float32Array(rows), second = new Float32Array(rows);
  let screen = src.mirror !== undefined || src.grid !== undefined;
  // ‖x − m‖ per row, for the screening bound; the bounds and the rows to measure (screened passes).
  let roots: Float64Array | undefined;
  let bounds: Bounds | undefined;

  function exactPass(kc: KernelCentres): void {
    forEachBlock(src, kc, 0, n, undefined, (start, m, D) => {
      argminRowsKernel()(m, k, D, 0, k, fresh, null);
      assignment.commit(start, m, fresh);
    });
  }

  /**
   * The screened pass: the rows the bounds do not settle get screened scores, the nearest
   * and second-nearest by the kernels' two-smallest scan, then the rows whose margin is
   * within the rounding bounds are measured again in float64. Returns the number of rows
   * rechecked.
   */
  function screenedPass(screen: Screen, centres: Float64Array, kc: KernelCentres): number {
    bounds ??= { upper: new Float64Array(n).fill(Infinity), lower: new Float64Array(n), labels: new Int32Array(n), pending: new Int32Array(n) };
    const { upper, lower, labels, pending } = bounds;
    labels.set(assignment.labels);
    const q = unsettled(bounds, screen.exact, nearestOther(centres, k, src.d));
    // The rows to measure are read in place through `pending` (sqDistancesAt), at about the
    // cost of a plain block of as many rows, so only a pass that measures every row uses
    // plain blocks (MNIST: measuring whole blocks past half the rows instead cost ~4 %).
    const whole = q === n;
    let total = 0;
    screen.scores(0, whole ? n : q, whole ? undefined : pending, (start, m, D) => {
      argmin2RowsKernel()(m, k, D, 0, k, fresh, first, second);
      let r2 = 0;
      for (let r = 0; r < m; r++) {
        const i = whole ? start + r : pending[start + r]!;
        const err = screen.err(i), base = screen.base(i);
        labels[i] = fresh[r]!;
        if (second[r]! - first[r]! > 2 * err) {
          upper[i] = Math.sqrt(base + first[r]! + err) * (1 + SLACK);
          lower[i] = Math.sqrt(Math.max(0, base + second[r]! - err)) * (1 - SLACK);
        } else {
          // Not settled by the screen: measured in float64, and measured again next time.
          upper[i] = Infinity;
          lower[i] = 0;
          queue[r2++] = i;
        }
      }
      forEachBlock(src, kc, 0, r2, queue, (qs, qm, D64) => {
        argminRowsKernel()(qm, k, D64, 0, k, rechecked, null);
        for (let t = 0; t < qm; t++) labels[queue[qs + t]!] = rechecked[t]!;
      });
      total += r2;
    });
    for (let start = 0; start < n; start += rows) assignment.commit(start, Math.min(rows, n - start), labels.subarray(start, start + rows));
    return total;
  }

  /** The screen of this pass: the integer one for data on a grid, else the float32 mirror. */
  function screenFor(centres: Float64Array, kc: KernelCentres): Screen {
    roots ??= Float64Array.from(src.norms, Math.sqrt);
    return src.grid === undefined ? float32Screen(src, src.mirror!, roots, centres, k) : intScreen(src, src.grid, roots, centres, kc, k);
  }

  return {
    assign(centres) {
      const kc = centresFor(ctx, centres);
      assignment.begin();
      if (screen && activeBackendName() === 'wasm') {
        if (screenedPass(screenFor(centres, kc), centres, kc) > SCREEN_MAX_RECHECK * n) screen = false;
      } else {
        // Bounds from an earlier screened pass would miss this pass's moves.
        bounds = undefined;
        exactPass(kc);
      }
      assignment.end();
    },
    distances: (centres) => assignedDistances(ctx, centres),
    shifted(shifts) {
      if (bounds !== undefined) loosen(bounds.upper, bounds.lower, assignment.labels, shifts, SLACK);
    },
  };
}

/** The screened pass's per-row bounds and labels, and the rows its bounds leave in doubt. */
interface Bounds {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  readonly labels: Int32Array;
  readonly pending: Int32Array;
}

/**
 * One screening pass as the Lloyd solver sees it: `scores` hands blocks of scores (m × k,
 * float32) of the rows from … to − 1 (or index[from … to)) to `visit`; the squared distance
 * of row i to centre c is base(i) + score, within err(i), for every c; and the float64
 * distances the screen stands in for are within exact(i) of the true ones (so a margin of
 * twice that between a row's two nearest proves their label).
 */
interface Screen {
  scores(from: number, to: number, index: Int32Array | undefined, visit: (start: number, m: number, D: Float32Array) => void): void;
  err(i: number): number;
  base(i: number): number;
  exact(i: number): number;
}

/**
 * The float32 screen: distances of the float32 mirror of x − m to the centres rounded to
 * float32, within float32DistanceError of the true ones. Its bounds keep that same margin
 * (far above the float64 distances' rounding).
 */
function float32Screen(src: PreparedSource, mirror: RowSource<Float32Array>, roots: Float64Array, centres: Float64Array, k: number): Screen {
  const cmax = largestNorm(centres, k, src.shift);
  const one = float32ErrorFactor(src.d);
  const err = (i: number): number => {
    const t = roots[i]! + cmax;
    return one * t * t;
  };
  return {
    scores: (from, to, index, visit) => forEachBlock(mirror, mirror.centres(centres, k), from, to, index, visit as (start: number, m: number, D: FloatArray) => void),
    err, base: () => 0, exact: err,
  };
}

/**
 * The integer screen of data on a grid (linalg/quantize.ts): the int16 copy of X against
 * the centres c − m (the float64 kernel's operands, `kc`) rounded to int16, scores
 * n_c − 2x·(c − m) with the float64 kernel's norm term n_c, so that ‖x − m‖² + score is the
 * float64 distance up to the screen's error ({@link scoreError}, εₓ‖c − m‖₁ + ε_c‖x̂‖₁ twice,
 * and the scores' rounding) and to the float64 rounding, bounded by gemmDistanceBound
 * (d, float64)·(‖x‖ + ‖m‖ + ‖c − m‖)², doubled: it covers both the rounding of the float64
 * kernel and how far its operands (‖x − m‖², c − m, n_c, rounded) put it from ‖x − c‖².
 */
function intScreen(src: PreparedSource, rows: IntRows, roots: Float64Array, centres: Float64Array, kc: KernelCentres, k: number): Screen {
  const { n, d, norms } = src;
  const { grid } = rows;
  const width = grid.k;
  const nc = kc.norms as Float64Array;
  const kw = regionKernel()(new Int16Array(0), k * width);
  // The units always round within int32 sums: intRows checked unitLevels for these rows.
  const q = quantizeUnits(kc.x as Float64Array, k, d, width, grid.qmax, kw.view(), grid.l1max)!;
  let nmax = 0;
  for (let c = 0; c < k; c++) nmax = Math.max(nmax, Math.abs(nc[c]!));
  // ‖x‖ + ‖m‖ + ‖c − m‖ ≤ ‖x − m‖ + 2‖m‖ + max ‖c − m‖ (rounded up with the factor's slack).
  const far = 2 * largestNorm(src.shift, 1, new Float64Array(d)) + largestNorm(centres, k, src.shift);
  const factor = 2 * gemmDistanceBound(d, 'float64') * (1 + SLACK);
  const exact = (i: number): number => {
    const t = (roots[i]! + far) * (1 + SLACK);
    return factor * t * t;
  };
  const scale = 2 * grid.step * q.step;
  const at = quantizedScoresAtKernel(), all = quantizedScoresKernel();
  return {
    scores(from, to, index, visit) {
      const block = blockRows(d, k);
      const D = regionKernel()(new Float32Array(0), Math.min(block, to - from) * k);
      try {
        for (let start = from; start < to; start += block) {
          const m = Math.min(block, to - start);
          if (index === undefined) all(m, k, width, rows.rows.view().subarray(start * width, (start + m) * width), kw.view(), nc, scale, D.view());
          else at(m, k, width, rows.rows.view(), n, index, start, kw.view(), nc, scale, D.view());
          visit(start, m, D.view().subarray(0, m * k));
        }
      } finally {
        D.release();
        kw.release();
      }
    },
    err: (i) => scoreError(grid, grid.l1[i]!, q, nmax, d) + exact(i),
    base: (i) => norms[i]!,
    exact,
  };
}

/**
 * Lists in `pending` the rows whose bounds do not prove their label with a margin above
 * 2·exact(i) (see Screen), and returns how many there are.
 * Any other centre is at least max(lower, ‖c_a − c_j‖ − upper) away (triangle inequality).
 */
function unsettled(bounds: Bounds, exact: (i: number) => number, apart: Float64Array): number {
  const { upper, lower, labels, pending } = bounds;
  let q = 0;
  for (let i = 0; i < upper.length; i++) {
    const u = upper[i]! * (1 + SLACK), a = labels[i]!;
    const l = Math.max(lower[i]!, a < 0 ? 0 : apart[a]! - u) * (1 - SLACK);
    if (!(l > u && (l - u) * (l + u) > 2 * exact(i) * (1 + SLACK))) pending[q++] = i;
  }
  return q;
}

/** Per centre, the distance to the nearest other centre (k × d, float64; +∞ when k = 1), less a relative slack for its rounding. */
function nearestOther(centres: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const r = Math.sqrt(sqDistance(centres, a * d, centres, b * d, d)) * (1 - SLACK);
      if (r < out[a]!) out[a] = r;
      if (r < out[b]!) out[b] = r;
    }
  }
  return out;
}

/**
 * Hamerly's update of the bounds after the centres moved by `shifts`: the upper bound (to
 * the row's own centre) grows by its centre's move, the lower bound (to any other) shrinks
 * by the largest move, or the second largest for rows whose own centre moved most. Both
 * with relative `slack` for their rounding (Hamerly's solver keeps none: 0 leaves its
 * arithmetic exactly as it was).
 */
function loosen(upper: Float64Array, lower: Float64Array, labels: Int32Array, shifts: Float64Array, slack: number): void {
  let j1 = 0, p1 = -Infinity, p2 = 0;
  for (let j = 0; j < shifts.length; j++) {
    const p = shifts[j]!;
    if (p > p1) {
      p2 = Math.max(p1, 0);
      p1 = p;
      j1 = j;
    } else if (p > p2) {
      p2 = p;
    }
  }
  for (let i = 0; i < upper.length; i++) {
    const a = labels[i]!;
    upper[i] = (upper[i]! + shifts[a]! * (1 + slack)) * (1 + slack);
    lower[i] = (lower[i]! - (a === j1 ? p2 : p1) * (1 + slack)) * (1 - slack);
  }
}

/** Exact squared distance of every row to its assigned centre. */
function assignedDistances(ctx: SolverContext, centres: Float64Array): Float64Array {
  const { src, assignment } = ctx;
  const out = new Float64Array(src.n);
  assignedSqDistancesKernel()(src.n, src.d, src.rows.view(), centres, assignment.labels, out);
  return out;
}

/**
 * Half the distance between every pair of centres (k × k, by the kernel) and, per centre,
 * half the distance to its nearest other centre: a row closer to its centre than that
 * cannot be closer to any other (Elkan's lemma 1).
 */
function halfDistances(ctx: SolverContext, centres: Float64Array, half: Float64Array, nearestHalf: Float64Array): void {
  const { k } = ctx;
  const { d, dtype, shift } = ctx.src;
  const kc = shiftedCentres(centres, k, shift, dtype, false);
  const D = allocate(dtype, k * k);
  sqDistancesKernel()(k, k, d, kc.x, 0, d, kc.norms, kc.x, 0, d, kc.norms, D, 0, k);
  nearestHalf.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const h = a === b ? 0 : Math.sqrt(D[a * k + b]!) / 2;
      half[a * k + b] = h;
      if (a !== b && h < nearestHalf[a]!) nearestHalf[a] = h;
    }
  }
}

/** Labels a block of rows start … start + m − 1 into `out` (out[r] for row start + r). */
type BlockLabeller = (centres: Float64Array, kc: KernelCentres, start: number, m: number, out: Int32Array) => void;

/**
 * The assignment pass shared by Elkan and Hamerly: the first pass measures every distance
 * with the kernels (`first`, which sets the bounds); later passes refresh the half
 * distances between centres and apply the bounds (`later`). Each block's labels are
 * committed while the block is still in cache.
 */
function boundedAssign(ctx: SolverContext, half: Float64Array, nearestHalf: Float64Array, first: BlockLabeller, later: BlockLabeller): (centres: Float64Array) => void {
  const { src, assignment } = ctx;
  const fresh = new Int32Array(blockRows(src.d, ctx.k));
  let started = false;
  return (centres) => {
    const kc = centresFor(ctx, centres);
    if (started) halfDistances(ctx, centres, half, nearestHalf);
    const label = started ? later : first;
    assignment.begin();
    for (let start = 0; start < src.n; start += fresh.length) {
      const m = Math.min(fresh.length, src.n - start);
      label(centres, kc, start, m, fresh);
      assignment.commit(start, m, fresh);
    }
    assignment.end();
    started = true;
  };
}

/**
 * Elkan's algorithm: an upper bound on each row's distance to its centre and a lower bound
 * on its distance to every centre (n × k), loosened by how far the centres move. Distances
 * the bounds cannot rule out are measured exactly, one row and centre at a time.
 *
 * @see Elkan (2003), "Using the triangle inequality to accelerate k-means", ICML
 */
function elkan(ctx: SolverContext): Solver {
  const { src, k, assignment } = ctx;
  const { n, d, x } = src;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const half = new Float64Array(k * k);
  const nearestHalf = new Float64Array(k);

  /** The first pass: every distance, measured by the kernel, sets the bounds. */
  const initialise: BlockLabeller = (_centres, kc, start, m, out) => {
    forEachBlock(src, kc, start, start + m, undefined, (s0, mb, D) => {
      for (let r = 0; r < mb; r++) {
        const i = s0 + r;
        let best = 0;
        for (let j = 0; j < k; j++) {
          lower[i * k + j] = Math.sqrt(D[r * k + j]!);
          if (D[r * k + j]! < D[r * k + best]!) best = j;
        }
        out[i - start] = best;
        upper[i] = lower[i * k + best]!;
      }
    });
  };

  function refine(centres: Float64Array, i: number): number {
    let a = assignment.labels[i]!;
    let u = upper[i]!;
    if (u <= nearestHalf[a]!) return a;
    let tight = false;
    const xo = i * d, lo = i * k;
    for (let j = 0; j < k; j++) {
      if (j === a || u <= lower[lo + j]! || u <= half[a * k + j]!) continue;
      if (!tight) {
        u = Math.sqrt(sqDistance(x, xo, centres, a * d, d));
        lower[lo + a] = u;
        tight = true;
        if (u <= lower[lo + j]! || u <= half[a * k + j]!) continue;
      }
      const dj = Math.sqrt(sqDistance(x, xo, centres, j * d, d));
      lower[lo + j] = dj;
      // Ties go to the lower index, as the kernel's argmin does in Lloyd's iteration.
      if (dj < u || (dj === u && j < a)) {
        a = j;
        u = dj;
      }
    }
    upper[i] = u;
    return a;
  }

  return {
    assign: boundedAssign(ctx, half, nearestHalf, initialise, (centres, _kc, start, m, out) => {
      for (let r = 0; r < m; r++) out[r] = refine(centres, start + r);
    }),
    distances: (centres) => assignedDistances(ctx, centres),
    shifted(shifts) {
      const { labels } = assignment;
      for (let i = 0; i < n; i++) {
        upper[i] = upper[i]! + shifts[labels[i]!]!;
        for (let j = 0, p = i * k; j < k; j++, p++) lower[p] = Math.max(0, lower[p]! - shifts[j]!);
      }
    },
  };
}

/**
 * Hamerly's algorithm: one upper bound (to the row's centre) and one lower bound (to the
 * second-nearest centre) per row. Rows whose bounds fail even after tightening the upper
 * one are gathered, and their distances to all centres measured by the kernel at once.
 *
 * @see Hamerly (2010), "Making k-means even faster", SIAM International Conference on Data Mining
 */
function hamerly(ctx: SolverContext): Solver {
  const { src, k, assignment } = ctx;
  const { n, d, x } = src;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const half = new Float64Array(k * k);
  const nearestHalf = new Float64Array(k);
  const rows = blockRows(d, k);
  const queue = new Int32Array(rows), nearestOf = new Int32Array(rows);
  const smallest = allocate(src.dtype, rows), second = allocate(src.dtype, rows);

  /**
   * Settles rows from their squared distances to every centre (a block from forEachBlock
   * over rows, or over `index`): nearest centre into out, both bounds exact.
   */
  const settle = (out: Int32Array, start: number, index: Int32Array | undefined) => (s0: number, mb: number, D: FloatArray): void => {
    argmin2RowsKernel()(mb, k, D, 0, k, nearestOf, smallest, second);
    for (let r = 0; r < mb; r++) {
      const i = index === undefined ? s0 + r : index[s0 + r]!;
      out[i - start] = nearestOf[r]!;
      upper[i] = Math.sqrt(smallest[r]!);
      lower[i] = Math.sqrt(second[r]!);
    }
  };

  const first: BlockLabeller = (_centres, kc, start, m, out) => {
    forEachBlock(src, kc, start, start + m, undefined, settle(out, start, undefined));
  };

  const later: BlockLabeller = (centres, kc, start, m, out) => {
    let q = 0;
    for (let r = 0; r < m; r++) {
      const i = start + r;
      const a = assignment.labels[i]!;
      out[r] = a;
      const bound = Math.max(nearestHalf[a]!, lower[i]!);
      if (upper[i]! <= bound) continue;
      upper[i] = Math.sqrt(sqDistance(x, i * d, centres, a * d, d));
      if (upper[i]! > bound) queue[q++] = i;
    }
    forEachBlock(src, kc, 0, q, queue, settle(out, start, queue));
  };

  return {
    assign: boundedAssign(ctx, half, nearestHalf, first, later),
    distances: (centres) => assignedDistances(ctx, centres),
    shifted: (shifts) => loosen(upper, lower, assignment.labels, shifts, 0),
  };
}
