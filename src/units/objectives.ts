import { describe, fail } from '../core/errors.js';
import { asMatrix, asMatrix64, asVector, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { eigh } from '../linalg/eigh.js';
import { gemmKernel } from '../linalg/kernels/dispatch.js';

// Direction objectives (Olah's note on visualising directions of activation space rather
// than units). Each is a function of a batch of activations, one value per row, with each
// row's gradient with respect to that row, computed in float64 by the closed forms below;
// `visualize` chains the gradient through the network to the input.

/**
 * What an {@link Objective} returns for a batch of activations h, (n × d).
 * @example
 * ```ts
 * const { value, gradient } = dot([1, 2])([[3, 4], [1, 0]]);
 * [...value, gradient.rows]; // [11, 1, 2]
 * ```
 */
export interface ObjectiveResult {
  /** One value per row, (n). */
  readonly value: Float64Array;
  /** The gradient of each row's value with respect to that row, (n × d). */
  readonly gradient: Matrix<Float64Array>;
}

/**
 * A direction objective: a function of a batch of activations (n × d, one row per input)
 * giving one value per row and each row's gradient. Build one with {@link dot},
 * {@link cosine}, {@link dotCos}, {@link dotOrthogonalPenalty}, {@link l2},
 * {@link innerProduct} or {@link whitened}, or write one (any function of this shape).
 *
 * @example
 * ```ts
 * const objective: Objective = dotCos([1, 0, 0], { power: 4 });
 * objective([[2, 0, 0]]).value[0]; // 2
 * ```
 */
export type Objective = (h: MatrixInput) => ObjectiveResult;

/**
 * The value of one row starting at `o` in `h` (d entries), writing its gradient into `g`
 * at the same offset.
 */
type RowRule = (h: FloatArray, g: Float64Array, o: number) => number;

function objective(name: string, d: number, rule: RowRule): Objective {
  return (input) => {
    const h = asMatrix(input, `${name}: h`);
    if (h.cols !== d) fail('SHAPE_MISMATCH', `${name}: h has ${h.cols} columns, expected ${d} (the length of the objective's direction)`);
    const value = new Float64Array(h.rows), gradient = new Float64Array(h.rows * d);
    for (let i = 0; i < h.rows; i++) value[i] = rule(h.data, gradient, i * d);
    return { value, gradient: { rows: h.rows, cols: d, data: gradient } };
  };
}

/** The direction as a float64 vector, with its norm (which must not be 0 when `nonzero`). */
function direction(v: ArrayLike<number> | Matrix, name: string, nonzero: boolean): { v: Float64Array; norm: number } {
  const x = Float64Array.from(asVector(v, `${name}: v`));
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j]! * x[j]!;
  const norm = Math.sqrt(s);
  if (nonzero && norm === 0) fail('INVALID_INPUT', `${name}: v is the zero vector, expected a direction (a vector of nonzero length)`);
  return { v: x, norm };
}

/** h·v and ‖h‖² of one row. */
function dotAndSquare(h: FloatArray, o: number, v: Float64Array): [number, number] {
  let hv = 0, hh = 0;
  for (let j = 0; j < v.length; j++) {
    const x = h[o + j]!;
    hv += x * v[j]!;
    hh += x * x;
  }
  return [hv, hh];
}

/**
 * The dot product h·v: plain projection on the direction. Maximising it favours whatever
 * the layer makes large, which may lie far from v.
 *
 * @param v - the direction, (d)
 * @example
 * ```ts
 * dot([1, 2])([[3, 4]]).value[0]; // 11
 * ```
 */
export function dot(v: ArrayLike<number> | Matrix): Objective {
  const { v: u } = direction(v, 'dot', false);
  return objective('dot', u.length, (h, g, o) => {
    g.set(u, o);
    return dotAndSquare(h, o, u)[0];
  });
}

/**
 * Cosine similarity cos(h, v) = h·v / (‖h‖‖v‖): direction only, blind to size. At h = 0
 * the value is 0 and the gradient v/‖v‖ (towards the direction).
 *
 * @param v - the direction, (d), not zero
 * @example
 * ```ts
 * cosine([1, 0])([[3, 3]]).value[0]; // ≈ 0.7071
 * ```
 */
export function cosine(v: ArrayLike<number> | Matrix): Objective {
  const { v: u, norm } = direction(v, 'cosine', true);
  // cos = h·v̂ / ‖h‖, so ∇cos = v̂/‖h‖ − cos · h/‖h‖².
  const unit = u.map((x) => x / norm);
  return objective('cosine', u.length, (h, g, o) => {
    const [hv, hh] = dotAndSquare(h, o, unit);
    if (hh === 0) {
      g.set(unit, o);
      return 0;
    }
    const nh = Math.sqrt(hh), c = hv / nh;
    for (let j = 0; j < u.length; j++) g[o + j] = unit[j]! / nh - (c * h[o + j]!) / hh;
    return c;
  });
}

/**
 * Options of {@link dotCos}.
 * @example
 * ```ts
 * dotCos(v, { power: 2, floor: 0 });
 * ```
 */
export interface DotCosOptions {
  /** The power n of the cosine, an integer ≥ 0 (0 gives the dot product). @defaultValue 4 */
  power?: number;
  /**
   * The cosine is floored at this value before the power, so the optimiser never climbs
   * towards −v (where h·v and an odd power of the cosine would both be negative). In
   * [−1, 1]; −1 removes the floor.
   * @defaultValue 0.1
   */
  floor?: number;
}
const DOT_COS_OPTIONS = optionNames<DotCosOptions>()('power', 'floor');

/**
 * (h·v) · max(floor, cos(h, v))ⁿ: the dot product, discounted as h turns away from v. It
 * still rewards size along v, but a large activation in another direction no longer pays.
 * The floor (0.1, as in Lucid) keeps the factor positive: moving towards −v never raises
 * the objective. Where the cosine is below the floor the gradient is floorⁿ · v; at h = 0
 * the cosine counts as 0.
 *
 * @param v - the direction, (d), not zero
 * @see Olah, Mordvintsev & Schubert (2017), "Feature visualization", Distill (the direction objectives of Lucid)
 * @example
 * ```ts
 * dotCos([1, 0], { power: 2 })([[3, 3]]).value[0]; // ≈ 1.5 (3 · 0.7071²)
 * ```
 */
export function dotCos(v: ArrayLike<number> | Matrix, options?: DotCosOptions): Objective {
  const opts = checkOptions(options, DOT_COS_OPTIONS, 'dotCos: options');
  const power = checkInt(opts.power ?? 4, 'dotCos: power', 0);
  const floor = checkNumber(opts.floor ?? 0.1, 'dotCos: floor', -1, 1);
  const { v: u, norm } = direction(v, 'dotCos', true);
  const floored = floor ** power;
  return objective('dotCos', u.length, (h, g, o) => {
    const [hv, hh] = dotAndSquare(h, o, u);
    const nh = Math.sqrt(hh);
    const c = hh === 0 ? 0 : hv / (nh * norm);
    // Below the floor the factor is the constant floorⁿ; at h = 0 (c counted as 0) the product
    // rule's second term vanishes with h·v, leaving cⁿ v.
    if (!(c > floor) || power === 0 || hh === 0) {
      const f = c > floor ? c ** power : floored;
      for (let j = 0; j < u.length; j++) g[o + j] = f * u[j]!;
      return hv * f;
    }
    // Product rule: ∇[(h·v) cⁿ] = cⁿ v + n (h·v) cⁿ⁻¹ ∇c, with ∇c = v/(‖h‖‖v‖) − c h/‖h‖².
    const cn = c ** power, s = power * hv * c ** (power - 1);
    for (let j = 0; j < u.length; j++) g[o + j] = cn * u[j]! + s * (u[j]! / (nh * norm) - (c * h[o + j]!) / hh);
    return hv * cn;
  });
}

/**
 * Options of {@link dotOrthogonalPenalty}.
 * @example
 * ```ts
 * dotOrthogonalPenalty(v, { weight: 0.5 });
 * ```
 */
export interface DotOrthogonalPenaltyOptions {
  /** The weight of the penalty on the part of h orthogonal to v, ≥ 0. @defaultValue 1 */
  weight?: number;
}
const ORTHOGONAL_OPTIONS = optionNames<DotOrthogonalPenaltyOptions>()('weight');

/**
 * h·v̂ − weight · ‖h − (h·v̂) v̂‖: the projection on the unit direction v̂ minus a penalty on
 * what is left over. Where h lies exactly along v the penalty's gradient is taken as 0.
 *
 * @param v - the direction, (d), not zero
 * @example
 * ```ts
 * dotOrthogonalPenalty([1, 0], { weight: 0.5 })([[3, 4]]).value[0]; // 1 (3 − 0.5 · 4)
 * ```
 */
export function dotOrthogonalPenalty(v: ArrayLike<number> | Matrix, options?: DotOrthogonalPenaltyOptions): Objective {
  const opts = checkOptions(options, ORTHOGONAL_OPTIONS, 'dotOrthogonalPenalty: options');
  const weight = checkNumber(opts.weight ?? 1, 'dotOrthogonalPenalty: weight', 0);
  const { v: u, norm } = direction(v, 'dotOrthogonalPenalty', true);
  const unit = u.map((x) => x / norm);
  const d = u.length;
  return objective('dotOrthogonalPenalty', d, (h, g, o) => {
    const s = dotAndSquare(h, o, unit)[0];
    // The orthogonal remainder r = h − s·v̂ goes into g first; then g ← v̂ − weight · r/‖r‖.
    let rr = 0;
    for (let j = 0; j < d; j++) {
      const r = h[o + j]! - s * unit[j]!;
      g[o + j] = r;
      rr += r * r;
    }
    const nr = Math.sqrt(rr), f = nr > 0 ? weight / nr : 0;
    for (let j = 0; j < d; j++) g[o + j] = unit[j]! - f * g[o + j]!;
    return s - weight * nr;
  });
}

/**
 * −‖h − v‖²: closeness to a target activation v (the objective of inversion rather than of
 * a direction; its maximum is h = v).
 *
 * @param v - the target, (d)
 * @example
 * ```ts
 * l2([1, 1])([[2, 3]]).value[0]; // -5
 * ```
 */
export function l2(v: ArrayLike<number> | Matrix): Objective {
  const { v: u } = direction(v, 'l2', false);
  return objective('l2', u.length, (h, g, o) => {
    let s = 0;
    for (let j = 0; j < u.length; j++) {
      const r = h[o + j]! - u[j]!;
      s += r * r;
      g[o + j] = -2 * r;
    }
    return -s;
  });
}

/**
 * The inner product under a matrix, hᵀAᵀAh = ‖Ah‖²: size in the subspace A reads (the
 * rows of A: several directions at once, weighted). The gradient is 2AᵀAh.
 *
 * @param A - (k × d)
 * @example
 * ```ts
 * innerProduct([[1, 0], [0, 2]])([[3, 1]]).value[0]; // 13 (9 + 4)
 * ```
 */
export function innerProduct(A: MatrixInput): Objective {
  const m = asMatrix(A, 'innerProduct: A');
  const a = Float64Array.from(m.data), k = m.rows, d = m.cols;
  const y = new Float64Array(k);
  return objective('innerProduct', d, (h, g, o) => {
    let value = 0;
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a[r * d + j]! * h[o + j]!;
      y[r] = s;
      value += s * s;
    }
    for (let j = 0; j < d; j++) g[o + j] = 0;
    for (let r = 0; r < k; r++) {
      const s = 2 * y[r]!;
      for (let j = 0; j < d; j++) g[o + j]! += s * a[r * d + j]!;
    }
    return value;
  });
}

/**
 * Options of {@link whitened}.
 * @example
 * ```ts
 * whitened(dot(v), covariance, { epsilon: 1e-3 });
 * ```
 */
export interface WhitenedOptions {
  /**
   * Added to every eigenvalue of the covariance before the inverse square root: makes a
   * singular covariance (a dead unit, fewer inputs than units) usable. ≥ 0.
   * @defaultValue 0
   */
  epsilon?: number;
}
const WHITENED_OPTIONS = optionNames<WhitenedOptions>()('epsilon');

/**
 * The same objective in the decorrelated (whitened) basis: h ↦ objective(Σ^−½ h), with
 * Σ^−½ = U diag((λ + ε)^−½) Uᵀ from the covariance's eigendecomposition (the symmetric,
 * "ZCA" whitening). Its directions are directions of the whitened space: `whitened(dot(v),
 * Σ)` rewards h·Σ^−½v, which discounts what the layer varies a lot anyway. The gradient is
 * Σ^−½ times the objective's gradient at Σ^−½h.
 *
 * @param inner - an objective over whitened activations
 * @param covariance - Σ, (d × d), symmetric positive definite (or semidefinite with `epsilon`)
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` when Σ + εI is not positive definite,
 *   `SHAPE_MISMATCH` when Σ is not square
 * @example
 * ```ts
 * const obj = whitened(dot([1, 0]), [[4, 0], [0, 1]]);
 * obj([[2, 5]]).value[0]; // 1 (2 / √4)
 * ```
 */
export function whitened(inner: Objective, covariance: MatrixInput, options?: WhitenedOptions): Objective {
  const opts = checkOptions(options, WHITENED_OPTIONS, 'whitened: options');
  const epsilon = checkNumber(opts.epsilon ?? 0, 'whitened: epsilon', 0);
  if (typeof inner !== 'function') fail('INVALID_INPUT', `whitened: objective received ${describe(inner)}, expected an objective (dot(v), cosine(v), …)`);
  const S = asMatrix64(covariance, 'whitened: covariance');
  if (S.rows !== S.cols) fail('SHAPE_MISMATCH', `whitened: covariance is ${S.rows} × ${S.cols}, expected a square matrix`);
  const W = inverseSqrt(S, epsilon);
  const d = S.rows;
  return (input) => {
    const h = asMatrix64(input, 'whitened: h');
    if (h.cols !== d) fail('SHAPE_MISMATCH', `whitened: h has ${h.cols} columns, expected ${d} (the covariance's size)`);
    const n = h.rows, gemm = gemmKernel();
    // Rows: (Σ^−½ h)ᵀ = hᵀ Σ^−½ (symmetric), for the whole batch at once.
    const z = new Float64Array(n * d);
    gemm(false, false, n, d, d, 1, h.data, 0, d, W, 0, d, 0, z, 0, d);
    const r = inner({ rows: n, cols: d, data: z });
    checkResult('whitened: the objective', r, n, d);
    const gradient = new Float64Array(n * d);
    gemm(false, false, n, d, d, 1, Float64Array.from(r.gradient.data), 0, d, W, 0, d, 0, gradient, 0, d);
    return { value: Float64Array.from(r.value), gradient: { rows: n, cols: d, data: gradient } };
  };
}

/** Σ^−½ (d × d) by the eigendecomposition, eigenvalues shifted by ε. */
function inverseSqrt(S: Matrix<Float64Array>, epsilon: number): Float64Array {
  const d = S.rows;
  const { values, vectors } = eigh(S);
  const top = values[0]! + epsilon;
  const scaled = new Float64Array(d * d); // U · diag((λ + ε)^−½)
  for (let k = 0; k < d; k++) {
    const lambda = values[k]! + epsilon;
    // Relative to the largest: below it, rounding in Σ decides the inverse's size.
    if (!(lambda > top * 1e-12)) {
      fail('INVALID_INPUT', `whitened: covariance + ${epsilon}·I has eigenvalue ${lambda} (largest ${top}), expected a positive definite matrix; pass { epsilon } (e.g. 1e-3 · the mean variance) for a singular covariance`);
    }
    const f = 1 / Math.sqrt(lambda);
    for (let i = 0; i < d; i++) scaled[i * d + k] = vectors.data[i * d + k]! * f;
  }
  const W = new Float64Array(d * d); // (U · diag((λ + ε)^−½)) · Uᵀ
  gemmKernel()(false, true, d, d, d, 1, scaled, 0, d, vectors.data, 0, d, 0, W, 0, d);
  return W;
}

/** Checks that an objective returned n values and an (n × d) gradient. */
export function checkResult(name: string, r: unknown, n: number, d: number): asserts r is ObjectiveResult {
  const x = r as Partial<ObjectiveResult> | null;
  const ok = x !== null && typeof x === 'object'
    && x.value !== undefined && x.value.length === n
    && x.gradient !== undefined && x.gradient.rows === n && x.gradient.cols === d && x.gradient.data?.length === n * d;
  if (!ok) fail('SHAPE_MISMATCH', `${name} returned ${describe(r)}, expected { value: (${n}), gradient: (${n} × ${d}) } for ${n} rows of ${d} activations`);
}
