import { fail } from '../core/errors.js';
import { ldexp, maxAbs, safeScaleExponent, scaledBy } from '../core/math.js';
import type { Matrix } from '../core/matrix.js';
import { checkChoice, checkOptions, optionNames } from '../core/options.js';
import { checkSteps, checkT, mix, vectorOf } from './gaussian.js';

// Walks between two latent codes (points, not distributions): along the straight line, or
// along the great circle with the norm interpolated linearly.

/** Angles below this (radians) count as parallel: slerp falls back to lerp. */
const PARALLEL = 1e-7;
/** Angles within this of π count as antipodal: the great circle is not unique. */
const ANTIPODAL = 1e-7;

function pair(a: ArrayLike<number>, b: ArrayLike<number>): [Float64Array, Float64Array] {
  const x = vectorOf(a, 'a'), y = vectorOf(b, 'b');
  if (x.length !== y.length) fail('SHAPE_MISMATCH', `a, b: received vectors of lengths ${x.length} and ${y.length}, expected the same length`);
  return [x, y];
}

/**
 * Linear interpolation (1 − t)·a + t·b.
 *
 * @param a - start, (d)
 * @param b - end, (d)
 * @param t - 0 gives a, 1 gives b (outside [0, 1] extrapolates)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `NON_FINITE`, `INVALID_OPTION` (t)
 *
 * @example
 * ```ts
 * Array.from(lerp([0, 2], [4, 6], 0.25)); // [1, 3]
 * ```
 */
export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  const tt = checkT(t);
  const [x, y] = pair(a, b);
  return mix(x, y, tt);
}

/** The great circle through a and b, prepared once for many t. */
/**
 * ‖x‖, its squares taken on x·2^k when |x| lies beyond 2^±200 (BLAS dnrm2's reason: a
 * norm of 1e154 would overflow its square; a subnormal one would underflow to 0).
 */
function norm(x: Float64Array): number {
  const k = safeScaleExponent(maxAbs(x), 'float64');
  const xs = scaledBy(x, k);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! * xs[i]!;
  return ldexp(Math.sqrt(s), -k);
}

function sphericalWalk(x: Float64Array, y: Float64Array): (t: number) => Float64Array {
  const d = x.length;
  const na = norm(x), nb = norm(y);
  if (na === 0 || nb === 0) return (t) => mix(x, y, t); // no direction to rotate from
  const u = x.map((v) => v / na), v = y.map((w) => w / nb);
  // θ = 2·atan2(‖u − v‖, ‖u + v‖): accurate at every angle, unlike acos(u·v) near 0 and π.
  let diff = 0, sum = 0;
  for (let i = 0; i < d; i++) {
    diff += (u[i]! - v[i]!) ** 2;
    sum += (u[i]! + v[i]!) ** 2;
  }
  const theta = 2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
  if (theta < PARALLEL) return (t) => mix(x, y, t);
  if (Math.PI - theta < ANTIPODAL) {
    fail('INVALID_INPUT', `a, b: received vectors that point in opposite directions (angle π − ${(Math.PI - theta).toExponential(2)}); every great circle through −v and v is as short, so slerp has no unique path. Use lerp, or move one of them slightly off the line`);
  }
  const sin = Math.sin(theta);
  return (t) => {
    if (t === 0) return Float64Array.from(x);
    if (t === 1) return Float64Array.from(y);
    const ca = Math.sin((1 - t) * theta) / sin, cb = Math.sin(t * theta) / sin;
    const norm = (1 - t) * na + t * nb;
    const out = new Float64Array(d);
    for (let i = 0; i < d; i++) out[i] = norm * (ca * u[i]! + cb * v[i]!);
    return out;
  };
}

/**
 * Spherical interpolation: the direction turns along the great circle through a and b at
 * constant angular speed, and the norm goes linearly from ‖a‖ to ‖b‖, the latent walk of
 * GAN and VAE papers (codes of a Gaussian prior concentrate near a sphere, and lerp cuts
 * through its low-norm inside). Nearly parallel vectors (angle < 1e-7), and a zero vector,
 * fall back to {@link lerp}; opposite ones are an error, since the great circle is then
 * not unique.
 *
 * @param a - start, (d)
 * @param b - end, (d)
 * @param t - 0 gives a, 1 gives b
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` (antipodal vectors), `SHAPE_MISMATCH`, `INVALID_OPTION` (t)
 *
 * @see Shoemake (1985), "Animating rotation with quaternion curves", SIGGRAPH
 * @see White (2016), "Sampling generative networks", arXiv:1609.04468
 *
 * @example
 * ```ts
 * Array.from(slerp([1, 0], [0, 3], 0.5)); // [1.414…, 1.414…]: 45°, norm 2
 * ```
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  const tt = checkT(t);
  const [x, y] = pair(a, b);
  return sphericalWalk(x, y)(tt);
}

/** Options of {@link path}. */
export interface PathOptions {
  /**
   * Number of points, both ends included (t = 0, 1/(steps − 1), …, 1).
   * @defaultValue 10
   */
  steps?: number;
  /**
   * `'linear'` ({@link lerp}) or `'spherical'` ({@link slerp}).
   * @defaultValue 'linear'
   */
  method?: 'linear' | 'spherical';
}

/** Every option name of {@link PathOptions} (unknown ones are rejected). */
const PATH_OPTION_NAMES = optionNames<PathOptions>()('steps', 'method');

/**
 * A walk from a to b as a matrix of `steps` rows, the first a and the last b: decode
 * the rows to see the walk (`pca.inverseTransform(model, path(za, zb))`).
 *
 * @param a - start, (d)
 * @param b - end, (d)
 * @returns (steps × d)
 * @throws {@link core!LatentSpaceError} as {@link lerp} and {@link slerp}; `INVALID_OPTION`
 *
 * @example
 * ```ts
 * const P = path([0, 0], [1, 2], { steps: 3 });
 * Array.from(P.data); // [0, 0, 0.5, 1, 1, 2]
 * ```
 */
export function path(a: ArrayLike<number>, b: ArrayLike<number>, options?: PathOptions): Matrix<Float64Array> {
  const opts = checkOptions(options, PATH_OPTION_NAMES);
  const method = checkChoice(opts.method ?? 'linear', 'method', ['linear', 'spherical'] as const);
  const [x, y] = pair(a, b);
  const d = x.length;
  const steps = checkSteps(opts.steps, d);
  const at = method === 'spherical' ? sphericalWalk(x, y) : (t: number) => mix(x, y, t);
  const data = new Float64Array(steps * d);
  for (let s = 0; s < steps; s++) data.set(s === steps - 1 ? y : at(s / (steps - 1)), s * d);
  return { rows: steps, cols: d, data };
}
