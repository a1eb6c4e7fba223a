// Arithmetic on codes: attribute vectors (White's smile vector), shifts along them, the
// Neural Storyteller's style shift, samples around a code, loops in a plane, projections.
import { describe, fail } from '../core/errors.js';
import { asVector, type Matrix } from '../core/matrix.js';
import { checkBoolean, checkChoice, checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type SeedLike } from '../core/random.js';
import { widen } from '../linalg/dtype.js';
import { asCodes, rowMean, sameWidth, type CodesInput } from './input.js';
import { nearestChecked } from './nearest.js';
import { METRICS, type Metric } from './search.js';
import { gemmKernel } from '../linalg/kernels/dispatch.js';

/** Euclidean norm of a vector. */
function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * Options of {@link attributeVector}.
 *
 * @example
 * ```ts
 * latent.attributeVector([[2, 0]], [[0, 0]], { normalize: true }); // Float64Array [1, 0]
 * ```
 */
export interface AttributeVectorOptions {
  /**
   * Scale the difference to unit length (then `shift` amounts are distances).
   * @defaultValue false
   */
  normalize?: boolean;
}

/** Every option name of {@link AttributeVectorOptions} (unknown ones are rejected). */
const ATTRIBUTE_OPTION_NAMES = optionNames<AttributeVectorOptions>()('normalize');

/**
 * An attribute vector: the mean of the codes that have an attribute minus the mean of the
 * codes that lack it (White's "smile vector": smiling faces minus the others). Added to
 * any code with {@link shift}, it adds the attribute.
 *
 * @param Zwith - codes with the attribute, (n₁ × d)
 * @param Zwithout - codes without it, (n₀ × d)
 * @returns (d)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`; `INVALID_INPUT` when `normalize` meets
 *   two groups with the same mean (no direction)
 *
 * @see White (2016), "Sampling generative networks", arXiv:1609.04468
 *
 * @example
 * ```ts
 * Array.from(latent.attributeVector([[2, 1], [4, 1]], [[0, 0], [0, 2]])); // [3, 0]
 * ```
 */
export function attributeVector(Zwith: CodesInput, Zwithout: CodesInput, options?: AttributeVectorOptions): Float64Array {
  const normalize = checkBoolean(checkOptions(options, ATTRIBUTE_OPTION_NAMES).normalize ?? false, 'normalize');
  const a = asCodes(Zwith, 'Zwith'), b = asCodes(Zwithout, 'Zwithout');
  sameWidth(b, a.cols, 'Zwithout', 'Zwith');
  const v = rowMean(a), mb = rowMean(b);
  for (let j = 0; j < v.length; j++) v[j] = v[j]! - mb[j]!;
  if (!normalize) return v;
  const length = norm(v);
  if (length === 0) fail('INVALID_INPUT', 'Zwith, Zwithout: the two groups have the same mean, so the attribute vector is zero and has no direction to normalise');
  for (let j = 0; j < v.length; j++) v[j] = v[j]! / length;
  return v;
}

/**
 * Each code moved along a direction: row i becomes zᵢ + amountᵢ · v.
 *
 * @param Z - codes, (n × d), or one code
 * @param v - direction, (d), e.g. from {@link attributeVector}
 * @param amount - one number for every row, or one per row
 * @returns (n × d), float64; Z is not modified
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_OPTION` (amount)
 *
 * @example
 * ```ts
 * Array.from(latent.shift([[0, 0], [1, 1]], [1, 2], [1, -1]).data); // [1, 2, 0, -1]
 * ```
 */
export function shift(Z: CodesInput, v: ArrayLike<number>, amount: number | ArrayLike<number> = 1): Matrix<Float64Array> {
  const z = asCodes(Z, 'Z');
  const dir = asVector(v, 'v');
  sameWidth(z, dir.length, 'Z', 'v');
  const { rows: n, cols: d } = z;
  const per = amounts(amount, n);
  const out = Float64Array.from(z.data);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = out[i * d + j]! + per[i]! * dir[j]!;
  return { rows: n, cols: d, data: out };
}

/** `amount` as one finite number per row. */
function amounts(amount: number | ArrayLike<number>, n: number): Float64Array {
  if (typeof amount === 'number') return new Float64Array(n).fill(checkNumber(amount, 'amount'));
  if (amount === null || typeof amount !== 'object' || typeof amount.length !== 'number') {
    return fail('INVALID_OPTION', `amount: received ${describe(amount)}, expected a number or one number per row`);
  }
  if (amount.length !== n) fail('SHAPE_MISMATCH', `amount: received ${amount.length} amounts, expected ${n} (one per row of Z)`);
  return Float64Array.from({ length: n }, (_, i) => checkNumber(amount[i], `amount[${i}]`));
}

/**
 * Options of {@link styleShift}.
 *
 * @example
 * ```ts
 * latent.styleShift(Zcaptions, Zromance, Z, { k: 100, metric: 'cosine' }); // Matrix (n × d)
 * ```
 */
export interface StyleShiftOptions {
  /**
   * Represent each code by the mean of its k nearest rows of Zfrom before the shift (the
   * Neural Storyteller's retrieval step); 0 shifts the codes themselves.
   * @defaultValue 0
   */
  k?: number;
  /**
   * The metric of that neighbour search (see `nearest`).
   * @defaultValue 'euclidean'
   */
  metric?: Metric;
}

/** Every option name of {@link StyleShiftOptions} (unknown ones are rejected). */
const STYLE_OPTION_NAMES = optionNames<StyleShiftOptions>()('k', 'metric');

/**
 * The Neural Storyteller's style shift: codes written in the style of Zfrom moved into
 * the style of Zto by mean(Zto) − mean(Zfrom). With `k`, each code is first replaced by
 * the mean of its k nearest rows of Zfrom, as the Storyteller represents an image by the
 * mean of its nearest captions: z ↦ mean(kNN_Zfrom(z)) − mean(Zfrom) + mean(Zto).
 *
 * @param Zfrom - codes of the source style, (n₀ × d)
 * @param Zto - codes of the target style, (n₁ × d)
 * @param Z - codes to move, (n × d), or one code
 * @returns (n × d), float64
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_OPTION` (k above the rows of Zfrom)
 *
 * @see Kiros (2015), neural-storyteller, https://github.com/ryankiros/neural-storyteller
 *
 * @example
 * ```ts
 * const moved = latent.styleShift([[0, 0], [2, 0]], [[10, 5], [12, 5]], [[1, 1]]);
 * Array.from(moved.data); // [11, 6]
 * ```
 */
export function styleShift(Zfrom: CodesInput, Zto: CodesInput, Z: CodesInput, options?: StyleShiftOptions): Matrix<Float64Array> {
  const opts = checkOptions(options, STYLE_OPTION_NAMES);
  const from = asCodes(Zfrom, 'Zfrom'), to = asCodes(Zto, 'Zto'), z = asCodes(Z, 'Z');
  sameWidth(to, from.cols, 'Zto', 'Zfrom');
  sameWidth(z, from.cols, 'Z', 'Zfrom');
  const k = checkInt(opts.k ?? 0, 'k', 0, from.rows);
  const metric = checkChoice(opts.metric ?? 'euclidean', 'metric', METRICS);
  const { rows: n, cols: d } = z;
  const delta = rowMean(to), base = rowMean(from);
  for (let j = 0; j < d; j++) delta[j] = delta[j]! - base[j]!;
  const out = k === 0 ? Float64Array.from(z.data) : neighbourMeans(from, z, k, metric);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = out[i * d + j]! + delta[j]!;
  return { rows: n, cols: d, data: out };
}

/** For every row of Z, the mean of its k nearest rows of R. */
function neighbourMeans(R: Matrix, Z: Matrix, k: number, metric: Metric): Float64Array {
  const { indices } = nearestChecked(R, Z, k, metric, undefined);
  const d = R.cols;
  const out = new Float64Array(Z.rows * d);
  for (let i = 0; i < Z.rows; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]!;
      for (let q = 0; q < d; q++) out[i * d + q] = out[i * d + q]! + R.data[j * d + q]! / k;
    }
  }
  return out;
}

/**
 * Options of {@link around}.
 *
 * @example
 * ```ts
 * latent.around(z, 16, { radius: 0.1, seed: 3 }).rows; // 16
 * ```
 */
export interface AroundOptions {
  /**
   * Standard deviation of every coordinate's offset (the expected distance from z is then
   * about radius · √d).
   * @defaultValue 1
   */
  radius?: number;
  /**
   * Seed (or generator) of the offsets.
   * @defaultValue 0
   */
  seed?: SeedLike;
}

/** Every option name of {@link AroundOptions} (unknown ones are rejected). */
const AROUND_OPTION_NAMES = optionNames<AroundOptions>()('radius', 'seed');

/**
 * n codes near z: z plus isotropic Gaussian noise of standard deviation `radius`, seeded
 * (the same seed gives the same codes everywhere).
 *
 * @param z - centre, (d)
 * @param n - how many codes
 * @returns (n × d)
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` (n, radius, seed), `NON_FINITE`
 *
 * @example
 * ```ts
 * const Z = latent.around([0, 0, 0], 100, { radius: 0.1, seed: 1 });
 * [Z.rows, Z.cols]; // [100, 3]
 * ```
 */
export function around(z: ArrayLike<number>, n: number, options?: AroundOptions): Matrix<Float64Array> {
  const opts = checkOptions(options, AROUND_OPTION_NAMES);
  const radius = checkNumber(opts.radius ?? 1, 'radius', 0);
  const rng = randomFrom(opts.seed);
  const c = asVector(z, 'z');
  const count = checkInt(n, 'n', 1);
  const d = c.length;
  const out = new Float64Array(count * d);
  for (let p = 0; p < out.length; p++) out[p] = c[p % d]! + radius * rng.normal();
  return { rows: count, cols: d, data: out };
}

/**
 * Options of {@link loop}.
 *
 * @example
 * ```ts
 * latent.loop(z, u, v, { steps: 32, radius: 2 }).rows; // 32
 * ```
 */
export interface LoopOptions {
  /**
   * Points on the circle; the one after the last would be the first again.
   * @defaultValue 16
   */
  steps?: number;
  /**
   * Distance of every point from the centre.
   * @defaultValue 1
   */
  radius?: number;
}

/** Every option name of {@link LoopOptions} (unknown ones are rejected). */
const LOOP_OPTION_NAMES = optionNames<LoopOptions>()('steps', 'radius');

/**
 * A closed circle around `center` in the plane of two directions: the "rotation" walk of
 * latent-space animations. The directions are made orthonormal (Gram-Schmidt: e₁ = u/‖u‖,
 * e₂ the unit part of v orthogonal to u), and point s is
 * center + radius·(cos θₛ e₁ + sin θₛ e₂) with θₛ = 2πs/steps: it starts on u, turns
 * towards v, and steps evenly, so that a looping animation has no seam.
 *
 * @param center - (d)
 * @param u - first direction, (d)
 * @param v - second direction, (d), not parallel to u
 * @returns (steps × d)
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` (a zero u, or v parallel to u), `SHAPE_MISMATCH`, `INVALID_OPTION`
 *
 * @example
 * ```ts
 * const L = latent.loop([0, 0], [1, 0], [0, 1], { steps: 4, radius: 2 });
 * Array.from(L.data, (x) => Math.round(x)); // [2, 0, 0, 2, -2, 0, 0, -2]
 * ```
 */
export function loop(center: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>, options?: LoopOptions): Matrix<Float64Array> {
  const opts = checkOptions(options, LOOP_OPTION_NAMES);
  const steps = checkInt(opts.steps ?? 16, 'steps', 1);
  const radius = checkNumber(opts.radius ?? 1, 'radius', 0);
  const c = asVector(center, 'center'), e1 = Float64Array.from(asVector(u, 'u')), e2 = Float64Array.from(asVector(v, 'v'));
  const d = c.length;
  if (e1.length !== d || e2.length !== d) fail('SHAPE_MISMATCH', `u, v: received directions of lengths ${e1.length} and ${e2.length}, expected ${d} (the length of center)`);
  const nu = norm(e1), nv = norm(e2);
  if (nu === 0) fail('INVALID_INPUT', 'u: received a zero vector, expected a direction');
  for (let j = 0; j < d; j++) e1[j] = e1[j]! / nu;
  let along = 0;
  for (let j = 0; j < d; j++) along += e1[j]! * e2[j]!;
  for (let j = 0; j < d; j++) e2[j] = e2[j]! - along * e1[j]!;
  const rest = norm(e2);
  // Less than 1e-10 of v left after removing u: no plane (as slerp calls vectors parallel).
  if (!(rest > 1e-10 * nv)) fail('INVALID_INPUT', 'u, v: received parallel directions (or a zero v), expected two directions that span a plane');
  for (let j = 0; j < d; j++) e2[j] = e2[j]! / rest;
  const out = new Float64Array(steps * d);
  for (let s = 0; s < steps; s++) {
    const theta = (2 * Math.PI * s) / steps;
    const a = radius * Math.cos(theta), b = radius * Math.sin(theta);
    for (let j = 0; j < d; j++) out[s * d + j] = c[j]! + a * e1[j]! + b * e2[j]!;
  }
  return { rows: steps, cols: d, data: out };
}

/**
 * Coordinates of codes along directions: entry (i, t) is zᵢ · dₜ/‖dₜ‖, how far code i
 * goes along direction t (e.g. how much of an attribute it has).
 *
 * @param Z - codes, (n × d), or one code
 * @param directions - (m × d), or one direction
 * @returns (n × m), float64
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` (a zero direction), `SHAPE_MISMATCH`
 *
 * @example
 * ```ts
 * Array.from(latent.project([[3, 4], [1, 0]], [[2, 0], [0, 1]]).data); // [3, 4, 1, 0]
 * ```
 */
export function project(Z: CodesInput, directions: CodesInput): Matrix<Float64Array> {
  const z = widen(asCodes(Z, 'Z'));
  const D = asCodes(directions, 'directions');
  sameWidth(z, D.cols, 'Z', 'directions');
  const { rows: m, cols: d } = D;
  const unit = Float64Array.from(D.data);
  for (let t = 0; t < m; t++) {
    const row = unit.subarray(t * d, (t + 1) * d);
    const length = norm(row);
    if (length === 0) fail('INVALID_INPUT', `directions: row ${t} is a zero vector, expected a direction`);
    for (let j = 0; j < d; j++) row[j] = row[j]! / length;
  }
  const out = new Float64Array(z.rows * m);
  gemmKernel()(false, true, z.rows, m, d, 1, z.data, 0, d, unit, 0, d, 0, out, 0, m);
  return { rows: z.rows, cols: m, data: out };
}
