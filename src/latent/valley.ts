// The shortest path between two codes over a SOM's grid, where a step costs what the
// U-matrix says: the walk follows the data's dense valleys instead of the straight line.
import { fail } from '../core/errors.js';
import { checkKind } from '../core/json.js';
import { asVector, type Matrix } from '../core/matrix.js';
import { checkChoice, checkOptions, optionNames } from '../core/options.js';
import { bmu } from '../som/measures.js';
import { checkModel, type SomModel } from '../som/model.js';
import { neighbours } from '../som/topology.js';
import { uMatrix } from '../som/umatrix.js';

/**
 * Options of {@link valleyPath}.
 *
 * @example
 * ```ts
 * latent.valleyPath(model, za, zb, { weights: 'umatrix' });
 * ```
 */
export interface ValleyPathOptions {
  /**
   * What a step between neighbouring units costs:
   * - `'distance'`: the distance between their weight vectors, the U-matrix's cell between
   *   them (`uMatrix(model, { interstitial: true })`): the path is the shortest walk
   *   through the codebook, and crossing a ridge costs its height;
   * - `'umatrix'`: the mean of the two units' U-matrix values (`uMatrix(model)`), a walk
   *   that avoids units on ridges.
   * @defaultValue 'distance'
   */
  weights?: 'distance' | 'umatrix';
}

/** Every option name of {@link ValleyPathOptions} (unknown ones are rejected). */
const VALLEY_OPTION_NAMES = optionNames<ValleyPathOptions>()('weights');

/**
 * What {@link valleyPath} returns.
 *
 * @example
 * ```ts
 * const { units, codes, cost } = latent.valleyPath(model, za, zb);
 * codes.rows === units.length; // true
 * ```
 */
export interface ValleyPath {
  /** The units from a's best-matching unit to b's, both included (unit = row · width + column). */
  readonly units: Int32Array;
  /** Their codebook vectors, (units.length × d), float64: decode them to see the walk. */
  readonly codes: Matrix<Float64Array>;
  /** The path's total cost (sum of its steps' weights). */
  readonly cost: number;
}

/** A binary min-heap of (cost, unit), the lower unit first on equal costs. */
class UnitQueue {
  private readonly cost: number[] = [];
  private readonly unit: number[] = [];

  get size(): number {
    return this.unit.length;
  }

  private less(a: number, b: number): boolean {
    return this.cost[a]! < this.cost[b]! || (this.cost[a] === this.cost[b] && this.unit[a]! < this.unit[b]!);
  }

  private swap(a: number, b: number): void {
    [this.cost[a], this.cost[b]] = [this.cost[b]!, this.cost[a]!];
    [this.unit[a], this.unit[b]] = [this.unit[b]!, this.unit[a]!];
  }

  push(cost: number, unit: number): void {
    this.cost.push(cost);
    this.unit.push(unit);
    for (let i = this.unit.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the smallest entry; returns [cost, unit]. */
  pop(): [number, number] {
    const top: [number, number] = [this.cost[0]!, this.unit[0]!];
    const last = this.unit.length - 1;
    this.swap(0, last);
    this.cost.pop();
    this.unit.pop();
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/**
 * The valley path between two codes on a self-organizing map: Dijkstra's shortest path
 * from a's best-matching unit to b's over the map's grid (8 neighbours on a rectangular
 * map, 6 on a hexagonal one, across the edges when toroidal), each step weighted by the
 * U-matrix, low in the dense valleys of the data and high on the ridges between them.
 * Decoding the path's codebook vectors shows a walk through the data's valleys, where the
 * straight line from a to b would cross empty space. Deterministic: among equally short
 * paths, the one Dijkstra settles first with units taken in increasing order.
 *
 * @param model - a SOM from `som.fit` or `som.load`
 * @param a - start code, (d)
 * @param b - end code, (d)
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` (not a valid SOM), `SHAPE_MISMATCH`, `NON_FINITE`, `INVALID_OPTION`
 *
 * @see Ultsch & Siemon (1990), "Kohonen's self organizing feature maps for exploratory data analysis", INNC
 *
 * @example
 * ```ts
 * // A 5 × 1 map whose middle unit sits on a ridge: the path still has to cross it.
 * const model = som.fit([[0], [1], [2], [10], [11]], { width: 5, height: 1, epochs: 20 });
 * latent.valleyPath(model, [0], [11]).units.length; // 5
 * ```
 */
export function valleyPath(model: SomModel, a: ArrayLike<number>, b: ArrayLike<number>, options?: ValleyPathOptions): ValleyPath {
  const weights = checkChoice(checkOptions(options, VALLEY_OPTION_NAMES).weights ?? 'distance', 'weights', ['distance', 'umatrix'] as const);
  // The kind first, so a model of another module is INVALID_MODEL as documented.
  const m = checkModel(checkKind<SomModel>(model, 'som', 'model'));
  const d = m.weights.cols;
  const x = asVector(a, 'a'), y = asVector(b, 'b');
  for (const [v, name] of [[x, 'a'], [y, 'b']] as const) {
    if (v.length !== d) fail('SHAPE_MISMATCH', `${name}: received a code of dimension ${v.length}, expected ${d} (the SOM's)`);
  }
  const ends = new Float64Array(2 * d);
  ends.set(x);
  ends.set(y, d);
  const found = bmu(m, { rows: 2, cols: d, data: ends });
  const from = found[0]!, to = found[1]!;
  const W = m.weights.data;
  const units = m.width * m.height;
  const U = weights === 'umatrix' ? uMatrix(m).data : undefined;
  const step = (u: number, v: number): number => {
    if (U !== undefined) return (U[u]! + U[v]!) / 2;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = W[u * d + j]! - W[v * d + j]!;
      s += t * t;
    }
    return Math.sqrt(s);
  };
  const { offsets, indices } = neighbours(m);
  const cost = new Float64Array(units).fill(Infinity);
  const previous = new Int32Array(units).fill(-1);
  const done = new Uint8Array(units);
  const queue = new UnitQueue();
  cost[from] = 0;
  queue.push(0, from);
  while (queue.size > 0) {
    const [c, u] = queue.pop();
    if (done[u] === 1) continue;
    done[u] = 1;
    if (u === to) break;
    for (let p = offsets[u]!; p < offsets[u + 1]!; p++) {
      const v = indices[p]!;
      if (done[v] === 1) continue;
      const next = c + step(u, v);
      if (next < cost[v]!) {
        cost[v] = next;
        previous[v] = u;
        queue.push(next, v);
      }
    }
  }
  const path: number[] = [];
  for (let u = to; u !== -1; u = previous[u]!) path.push(u);
  path.reverse();
  const codes = new Float64Array(path.length * d);
  path.forEach((u, r) => { for (let j = 0; j < d; j++) codes[r * d + j] = W[u * d + j]!; });
  return { units: Int32Array.from(path), codes: { rows: path.length, cols: d, data: codes }, cost: cost[to]! };
}
