// Selecting the k smallest of many scores: a running threshold from a max-heap screens
// them, and the few candidates it lets through are measured exactly and sorted.
import type { FloatArray } from '../core/matrix.js';

/**
 * Offers score s to the max-heap of the k smallest scores held in h[base … base + size);
 * returns the new size. Once the heap is full, h[base] is the k-th smallest score seen:
 * the screen's running threshold.
 *
 * @example
 * ```ts
 * const h = new Float64Array(2);
 * let size = heapPush(h, 0, 0, 2, 5);
 * size = heapPush(h, 0, size, 2, 3);
 * size = heapPush(h, 0, size, 2, 4);
 * h[0]; // 4
 * ```
 */
export function heapPush(h: Float64Array, base: number, size: number, k: number, s: number): number {
  if (size < k) {
    let i = size;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[base + parent]! >= s) break;
      h[base + i] = h[base + parent]!;
      i = parent;
    }
    h[base + i] = s;
    return size + 1;
  }
  if (s >= h[base]!) return size;
  // Replace the root and sift down.
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= k) break;
    const r = l + 1;
    const c = r < k && h[base + r]! > h[base + l]! ? r : l;
    if (h[base + c]! <= s) break;
    h[base + i] = h[base + c]!;
    i = c;
  }
  h[base + i] = s;
  return size;
}

/**
 * The k smallest scores of one query at a time (a heap from {@link heapPush}).
 *
 * @example
 * ```ts
 * const h = new KSmallest(2);
 * [h.push(5), h.push(3), h.push(4)]; // [Infinity, 5, 4]
 * ```
 */
export class KSmallest {
  private readonly heap: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.heap = new Float64Array(k);
  }

  reset(): void {
    this.size = 0;
  }

  /** Offers a score; returns the current k-th smallest (∞ while fewer than k were offered). */
  push(s: number): number {
    this.size = heapPush(this.heap, 0, this.size, this.k, s);
    return this.kth();
  }

  /** The k-th smallest score offered so far (∞ while fewer than k were offered). */
  kth(): number {
    return this.size === this.k ? this.heap[0]! : Infinity;
  }
}

/**
 * One query's scores `C[o … o + n)` (plus `offset[j]` when given) against a running
 * threshold: every row within `margin` of the k-th smallest score seen so far goes into
 * `cand`; returns their count. NaN scores (excluded rows) fail every comparison. The hot
 * loop, once per entry: most rows fail the first comparison; a loop per case rather than
 * a call per entry (V8 does not inline a closure chosen at run time).
 *
 * @example
 * ```ts
 * const count = screenRow(C, r * n, n, undefined, heap, tau, cand); // cand[0 … count): the candidates
 * ```
 */
export function screenRow(C: FloatArray, o: number, n: number, offset: Float64Array | undefined, heap: KSmallest, margin: number, cand: Int32Array): number {
  heap.reset();
  let limit = Infinity, count = 0;
  if (offset === undefined) {
    for (let j = 0; j < n; j++) {
      const s = C[o + j]!;
      if (!(s <= limit)) continue;
      cand[count++] = j;
      limit = heap.push(s) + margin;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const s = C[o + j]! + offset[j]!;
      if (!(s <= limit)) continue;
      cand[count++] = j;
      limit = heap.push(s) + margin;
    }
  }
  return count;
}

/**
 * Ends the selection of one query: of the `count` candidates in `cand`, those whose
 * position passes `keep` are measured by `exact` (all at once), sorted by (value, index),
 * and the first k go to `indices`/`values` from position `at`.
 *
 * @example
 * ```ts
 * settle(cand, count, (p) => score(cand[p]) <= limit, (rows) => exactValues(c, Q, q, rows, new Float64Array(rows.length)), k, indices, values, q * k);
 * values.subarray(q * k, q * k + k); // query q's k smallest exact values, ascending
 * ```
 */
export function settle(
  cand: Int32Array, count: number, keep: (p: number) => boolean, exact: (rows: number[]) => Float64Array,
  k: number, indices: Int32Array, values: Float64Array, at: number,
): void {
  const kept: number[] = [];
  for (let p = 0; p < count; p++) if (keep(p)) kept.push(cand[p]!);
  const value = exact(kept);
  const order = Array.from({ length: kept.length }, (_, p) => p).sort((a, b) => value[a]! - value[b]! || kept[a]! - kept[b]!);
  for (let t = 0; t < k; t++) {
    indices[at + t] = kept[order[t]!]!;
    values[at + t] = value[order[t]!]!;
  }
}
