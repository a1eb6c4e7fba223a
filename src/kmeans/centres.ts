import type { FloatArray } from '../core/matrix.js';
import type { PreparedSource } from './source-types.js';
import { sqDistanceAt as sqDistance } from '../linalg/rows.js';
import { addRows } from '../linalg/kernels/clusters.js';
import { assignedSqDistancesKernel, clusterSumsKernel } from '../linalg/kernels/dispatch.js';

// A row that changes cluster is taken out of one sum and added to another, with the same
// grouped sweeps as a rebuild but over rows scattered in memory: about three times the
// cost of a row in a rebuild, so moving pays while fewer than a third of the rows changed
// cluster in the previous pass.
const MOVE_COST = 3;

/**
 * Groups `count` rows by cluster, row `row(t)` going to cluster `label(t)`: a counting sort
 * into `order` from position `at` (rows of cluster c at order[ends[c − 1] … ends[c]),
 * ends[−1] = at, with `ends` of length k + 1, its last entry unused), adding sign · w to
 * mass[c] for each row.
 *
 * @example
 * ```ts
 * const order = new Int32Array(3), ends = new Int32Array(3), mass = new Float64Array(2);
 * groupRows(mass, 2, 3, (t) => t, (t) => t % 2, undefined, order, ends, 1); // order [0, 2, 1], ends [2, 3, …]
 * ```
 */
export function groupRows(
  mass: Float64Array, k: number, count: number, row: (t: number) => number, label: (t: number) => number,
  w: Float64Array | undefined, order: Int32Array, ends: Int32Array, sign: number, at = 0,
): void {
  ends.fill(0);
  for (let t = 0; t < count; t++) ends[label(t) + 1] = ends[label(t) + 1]! + 1;
  ends[0] = at;
  for (let c = 0; c < k; c++) ends[c + 1] = ends[c + 1]! + ends[c]!;
  for (let t = 0; t < count; t++) {
    const c = label(t), i = row(t);
    order[ends[c]!++] = i;
    mass[c] = mass[c]! + sign * (w === undefined ? 1 : w[i]!);
  }
}

/**
 * sums[c] += sign · Σ w·x and mass[c] += sign · Σ w over `count` rows, row `row(t)` going
 * to cluster `label(t)` (sign −1 takes rows out). The rows are first grouped by cluster
 * ({@link groupRows}, `starts` of length k + 1) so each cluster's sum is swept once per
 * eight rows.
 *
 * @example
 * ```ts
 * const sums = new Float64Array(2), mass = new Float64Array(2);
 * addGrouped(sums, mass, new Float64Array([1, 2, 3]), 1, 2, 3, (t) => t, (t) => t % 2, undefined, new Int32Array(3), new Int32Array(3));
 * [sums, mass]; // [Float64Array [4, 2], Float64Array [2, 1]]
 * ```
 */
export function addGrouped(
  sums: Float64Array, mass: Float64Array, x: FloatArray, d: number, k: number, count: number,
  row: (t: number) => number, label: (t: number) => number, w: Float64Array | undefined,
  order: Int32Array, starts: Int32Array, sign = 1,
): void {
  groupRows(mass, k, count, row, label, w, order, starts, sign);
  for (let c = 0, from = 0; c < k; c++) {
    const to = starts[c]!;
    if (to > from) addRows(sums, c * d, x, d, order, from, to, w, sign);
    from = to;
  }
}

/**
 * The labels of a fit and, for each cluster, Σw·x, Σw and Σw‖x‖² over its rows, kept in
 * step with the labels as solvers commit them block by block. A pass either rebuilds the
 * sums or, when few rows changed cluster last time, moves only the rows that changed; the
 * rows are grouped by cluster block by block as they are committed, and added by one
 * `clusterSums` kernel call over the resident rows when the pass ends (Σw and Σw‖x‖² as
 * they are committed: they cost O(1) per row). A rebuild also
 * follows whenever as many rows as there are have been moved since the last one, which
 * bounds the rounding drift of the moves.
 *
 * @example
 * ```ts
 * const a = new Assignment(prepareSource(X, mean), undefined, k, blockRows(X.cols, k));
 * a.begin(); a.commit(0, m, labelsOfBlock); a.end();
 * a.moved; // rows whose label changed in this pass
 * ```
 */
export class Assignment {
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly mass: Float64Array;
  private readonly sqsum: Float64Array;
  // The rows of the pass grouped block by block, cluster by cluster, and the segments of
  // `order` (cluster, end, sign) they form: summed by one kernel call when the pass ends
  // (see end()), in the order the blocks were labelled.
  private readonly order: Int32Array;
  private segments = new Int32Array(0);
  private nOrder = 0;
  private nSegments = 0;
  private readonly ends: Int32Array;
  // The rows of a block that changed cluster, and the cluster each left.
  private readonly changed: Int32Array;
  private readonly left: Int32Array;
  private rebuild = true;
  private started = false;
  private drift = 0;
  /** Rows whose label changed in the current pass. */
  moved = 0;

  constructor(private readonly src: PreparedSource, private readonly w: Float64Array | undefined, readonly k: number, maxBlock: number) {
    this.labels = new Int32Array(src.n).fill(-1);
    this.sums = new Float64Array(k * src.d);
    this.mass = new Float64Array(k);
    this.sqsum = new Float64Array(k);
    // A pass adds every row (a rebuild) or takes out and adds back each moved row.
    this.order = new Int32Array(2 * src.n);
    this.ends = new Int32Array(k + 1);
    this.changed = new Int32Array(maxBlock);
    this.left = new Int32Array(maxBlock);
  }

  /** Starts a pass. */
  begin(): void {
    this.moved = 0;
    this.nOrder = 0;
    this.nSegments = 0;
    if (this.rebuild) {
      this.sums.fill(0);
      this.mass.fill(0);
      this.sqsum.fill(0);
    }
  }

  /**
   * Records the labels `fresh[0 … m)` of rows start … start + m − 1: the whole block is
   * added to the sums in a rebuild; otherwise the rows that changed cluster leave their old
   * sums and join their new ones, grouped by cluster like a rebuild.
   */
  commit(start: number, m: number, fresh: Int32Array): void {
    const { labels, changed, left } = this;
    let moved = 0;
    for (let i = 0; i < m; i++) {
      const old = labels[start + i]!, now = fresh[i]!;
      if (old === now) continue;
      changed[moved] = start + i;
      left[moved++] = old;
      labels[start + i] = now;
    }
    this.moved += moved;
    if (this.rebuild) {
      this.add(m, (t) => start + t, (t) => labels[start + t]!, 1);
    } else if (moved > 0) {
      this.add(moved, (t) => changed[t]!, (t) => left[t]!, -1);
      this.add(moved, (t) => changed[t]!, (t) => labels[changed[t]!]!, 1);
    }
  }

  /** Ends a pass (its rows join the sums) and chooses how the next one keeps the sums. */
  end(): void {
    const { n, d } = this.src;
    clusterSumsKernel()(n, d, this.src.rows.view(), this.order, this.nSegments, this.segments, this.w ?? null, this.sums);
    // The first pass labels every row (moved = n) yet says nothing of the next one, which
    // typically moves a fraction of the rows: it starts incremental.
    const first = !this.started;
    this.started = true;
    this.drift = this.rebuild ? 0 : this.drift + this.moved;
    this.rebuild = !first && (this.moved * MOVE_COST > n || this.drift > n);
  }

  /**
   * Σ w‖x − c_label‖² for the current labels and the centres `c` (k × d, float64), from
   * the per-cluster sums in coordinates relative to the source's shift m (so the terms
   * stay small): Σ(Σw‖x − m‖² − 2(c − m)·(Σwx − Wm) + W‖c − m‖²), O(k·d).
   */
  inertia(c: Float64Array): number {
    const { k, sums, mass, sqsum } = this;
    const { d, shift } = this.src;
    let total = 0;
    for (let j = 0; j < k; j++) {
      const wj = mass[j]!;
      let cs = 0, cc = 0;
      for (let q = 0, p = j * d; q < d; q++, p++) {
        const cm = c[p]! - shift[q]!;
        cs += cm * (sums[p]! - wj * shift[q]!);
        cc += cm * cm;
      }
      total += sqsum[j]! - 2 * cs + wj * cc;
    }
    return Math.max(0, total);
  }

  private segment(c: number, end: number, sign: number): void {
    if (3 * this.nSegments + 3 > this.segments.length) {
      const grown = new Int32Array(Math.max(96, 2 * this.segments.length));
      grown.set(this.segments);
      this.segments = grown;
    }
    this.segments.set([c, end, sign], 3 * this.nSegments++);
  }

  private weight(i: number): number {
    return this.w === undefined ? 1 : this.w[i]!;
  }

  /**
   * Adds (sign 1) or removes (−1) `count` rows, row(t) in cluster label(t): to the masses
   * and Σw‖x − m‖² now, to the sums at the end of the pass (grouped by cluster into `order`).
   */
  private add(count: number, row: (t: number) => number, label: (t: number) => number, sign: number): void {
    const { k, sqsum, w, ends } = this;
    const { norms } = this.src;
    groupRows(this.mass, k, count, row, label, w, this.order, ends, sign, this.nOrder);
    for (let c = 0, from = this.nOrder; c < k; c++) {
      const to = ends[c]!;
      if (to > from) this.segment(c, to, sign);
      from = to;
    }
    this.nOrder += count;
    for (let t = 0; t < count; t++) {
      const i = row(t), c = label(t);
      sqsum[c] = sqsum[c]! + sign * this.weight(i) * norms[i]!;
    }
  }
}

/**
 * The `m` eligible indices with the largest values, largest first (lower index first on
 * ties). Keeps a sorted list of m; most values fail the first comparison, so it is O(n)
 * in practice for the small m of empty clusters.
 *
 * @example
 * ```ts
 * largest(new Float64Array([3, 9, 1, 9]), 2, () => true); // Int32Array [1, 3]
 * ```
 */
export function largest(values: Float64Array, m: number, eligible: (i: number) => boolean): Int32Array {
  const top = new Int32Array(m).fill(-1);
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!eligible(i) || (size === m && !(v > values[top[m - 1]!]!))) continue;
    let t = size < m ? size++ : m - 1;
    while (t > 0 && v > values[top[t - 1]!]!) {
      top[t] = top[t - 1]!;
      t--;
    }
    top[t] = i;
  }
  return top.subarray(0, size);
}

/**
 * next ← the weighted mean of each cluster of `a`. A cluster with no weight is re-seeded
 * with the rows farthest from their own centre (`distances()`, squared, computed only
 * when needed), as scikit-learn does: the row's weight moves to the empty cluster, whose
 * centre becomes that row; labels are not changed. A cluster that still has no weight
 * keeps its old centre, so no centre is ever NaN. Returns the number re-seeded.
 *
 * @example
 * ```ts
 * updateCentres(assignment, src, undefined, centres, next, () => distances); // number of clusters re-seeded
 * ```
 */
export function updateCentres(a: Assignment, src: PreparedSource, w: Float64Array | undefined, old: Float64Array, next: Float64Array, distances: () => Float64Array): number {
  const { k, labels } = a;
  const { d, x } = src;
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (!(a.mass[c]! > 0)) empty.push(c);
  let sums = a.sums, mass = a.mass;
  if (empty.length > 0) {
    sums = sums.slice();
    mass = mass.slice();
    const far = largest(distances(), empty.length, (i) => w === undefined || w[i]! > 0);
    far.forEach((i, r) => {
      const to = empty[r]!, from = labels[i]!, wi = w === undefined ? 1 : w[i]!;
      for (let j = 0; j < d; j++) {
        sums[from * d + j] = sums[from * d + j]! - wi * x[i * d + j]!;
        sums[to * d + j] = wi * x[i * d + j]!;
      }
      mass[from] = mass[from]! - wi;
      mass[to] = wi;
    });
  }
  for (let c = 0; c < k; c++) {
    const o = c * d, mc = mass[c]!;
    if (mc > 0) for (let j = 0; j < d; j++) next[o + j] = sums[o + j]! / mc;
    else next.set(old.subarray(o, o + d), o);
  }
  return empty.length;
}

/**
 * shifts[j] ← ‖next_j − old_j‖; returns Σ shifts[j]², scikit-learn's convergence measure.
 *
 * @example
 * ```ts
 * centreShifts(new Float64Array([0, 0]), new Float64Array([3, 4]), 1, 2, new Float64Array(1)); // 25 (shifts: [5])
 * ```
 */
export function centreShifts(old: Float64Array, next: Float64Array, k: number, d: number, shifts: Float64Array): number {
  let total = 0;
  for (let c = 0; c < k; c++) {
    const s = sqDistance(old, c * d, next, c * d, d);
    shifts[c] = Math.sqrt(s);
    total += s;
  }
  return total;
}

/**
 * Σ w‖x − c_label‖² computed from the differences (no cancellation), in float64: each
 * row's distance by the kernel (X may be a resident region's view), summed here in order.
 *
 * @example
 * ```ts
 * exactInertia(new Float64Array([0, 2]), 2, 1, new Float64Array([1]), new Int32Array(2), undefined); // 2
 * ```
 */
export function exactInertia(x: FloatArray, n: number, d: number, c: FloatArray, labels: Int32Array, w: Float64Array | undefined): number {
  const dist = new Float64Array(n);
  // float32 centres widen exactly; the kernel subtracts in float64 as before.
  assignedSqDistancesKernel()(n, d, x, c instanceof Float64Array ? c : Float64Array.from(c), labels, dist);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    if (wi !== 0) total += wi * dist[i]!;
  }
  return total;
}

/**
 * Total weight per cluster.
 *
 * @example
 * ```ts
 * clusterMass(Int32Array.of(0, 1, 1), 2, undefined); // Float64Array [1, 2]
 * ```
 */
export function clusterMass(labels: Int32Array, k: number, w: Float64Array | undefined): Float64Array {
  const mass = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    mass[c] = mass[c]! + (w === undefined ? 1 : w[i]!);
  }
  return mass;
}
