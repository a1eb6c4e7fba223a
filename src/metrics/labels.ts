import { describe, fail } from '../core/errors.js';

/**
 * Cluster labels as accepted by the metrics: any integers (negative, sparse, large), one per row.
 *
 * @example
 * ```ts
 * const labels: Labels = Int32Array.of(-1, 7, 7);
 * ```
 */
export type Labels = ArrayLike<number>;

/**
 * Labels re-coded as 0 … count − 1, in the order of the original values.
 *
 * @example
 * ```ts
 * encodeLabels([7, -1, 7], 'labels'); // { codes: [1, 0, 1], count: 2, sizes: [1, 2] }
 * ```
 */
export interface Encoded {
  readonly codes: Int32Array;
  /** Number of distinct labels. */
  readonly count: number;
  /** Rows per label, (count). */
  readonly sizes: Float64Array;
}

/**
 * Re-codes labels as consecutive integers (sorted by value, as numpy's `unique`), checking
 * that each is an integer; `n`, when given, is the required length.
 *
 * @example
 * ```ts
 * Array.from(encodeLabels([7, -1, 7, 42], 'labels').codes); // [1, 0, 1, 2]
 * ```
 */
export function encodeLabels(labels: Labels, name: string, n?: number): Encoded {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    fail('INVALID_INPUT', `${name}: received ${describe(labels)}, expected an array of integer labels`);
  }
  if (n !== undefined && labels.length !== n) fail('SHAPE_MISMATCH', `${name}: received ${labels.length} labels, expected ${n} (one per row)`);
  const values = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) fail('INVALID_INPUT', `${name}: entry ${i} is ${describe(v)}, expected an integer label`);
    values[i] = v;
  }
  const unique = values.slice().sort();
  let count = 0;
  for (let i = 0; i < unique.length; i++) if (i === 0 || unique[i] !== unique[count - 1]) unique[count++] = unique[i]!;
  const codes = new Int32Array(labels.length);
  const sizes = new Float64Array(count);
  for (let i = 0; i < values.length; i++) {
    const c = search(unique, count, values[i]!);
    codes[i] = c;
    sizes[c] = sizes[c]! + 1;
  }
  return { codes, count, sizes };
}

/** Index of v in the sorted sorted[0 … count). */
function search(sorted: Float64Array, count: number, v: number): number {
  let lo = 0, hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The non-zero cells of the contingency table of two labellings (classes × clusters),
 * stored sparsely so that n singletons against n singletons costs O(n), not n².
 *
 * @example
 * ```ts
 * contingency([0, 0, 1], [1, 1, 1]).classSizes; // Float64Array [2, 1]
 * ```
 */
export interface Contingency {
  readonly n: number;
  /** Rows per class and per cluster. */
  readonly classSizes: Float64Array;
  readonly clusterSizes: Float64Array;
  /** Count, class and cluster of each non-zero cell. */
  readonly cells: Float64Array;
  readonly cellClass: Int32Array;
  readonly cellCluster: Int32Array;
}

/**
 * Builds the sparse contingency table of two labellings of the same rows.
 *
 * @example
 * ```ts
 * const t = contingency([0, 0, 1], [5, 6, 6]);
 * Array.from(t.cells); // [1, 1, 1]
 * ```
 */
export function contingency(labelsTrue: Labels, labelsPred: Labels): Contingency {
  const a = encodeLabels(labelsTrue, 'labelsTrue');
  const b = encodeLabels(labelsPred, 'labelsPred', a.codes.length);
  const n = a.codes.length;
  // One number per row, class-major: sorting them lines up equal cells.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = a.codes[i]! * b.count + b.codes[i]!;
  keys.sort();
  const cells: number[] = [], cellClass: number[] = [], cellCluster: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) {
      cells[cells.length - 1]!++;
      continue;
    }
    cells.push(1);
    cellClass.push(Math.floor(keys[i]! / b.count));
    cellCluster.push(keys[i]! % b.count);
  }
  return {
    n, classSizes: a.sizes, clusterSizes: b.sizes,
    cells: Float64Array.from(cells), cellClass: Int32Array.from(cellClass), cellCluster: Int32Array.from(cellCluster),
  };
}
