import { fail } from '../core/errors.js';
import { asMatrix64, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type SeedLike } from '../core/random.js';
import { qr } from '../linalg/qr.js';
import { checkLabels, classMeansInto, columnMinima, selectivityInto, selectivityOf, type Classes } from './profile.js';
import { gemmKernel } from '../linalg/kernels/dispatch.js';

/**
 * Options of {@link isotropy}.
 * @example
 * ```ts
 * units.isotropy(A, labels, { rotations: 200, seed: 7 });
 * ```
 */
export interface IsotropyOptions {
  /**
   * How many random orthogonal bases to compare the units with. Each costs one
   * (nInputs × nUnits) · (nUnits × nUnits) product.
   * @defaultValue 100
   */
  rotations?: number;
  /** Seed (or generator) of the random bases. @defaultValue 0 */
  seed?: SeedLike;
}
const ISOTROPY_OPTIONS = optionNames<IsotropyOptions>()('rotations', 'seed');

/**
 * What {@link isotropy} returns.
 * @example
 * ```ts
 * const { meanUnits, meanRotated, fraction } = units.isotropy(A, labels);
 * fraction; // 0 when no random basis is as selective as the units
 * ```
 */
export interface IsotropyResult {
  /** The {@link selectivity} of each unit, (nUnits). */
  readonly units: Float64Array;
  /** The selectivity of every direction of every random basis, (rotations × nUnits): row r is basis r. */
  readonly rotated: Matrix<Float64Array>;
  /** The mean of `units`. */
  readonly meanUnits: number;
  /** The mean selectivity of each random basis, (rotations). */
  readonly meanRotated: Float64Array;
  /**
   * The fraction of random bases whose mean selectivity reaches the units' (≥ meanUnits):
   * near 0 when the unit basis is special, near ½ or above when any rotation looks the same.
   */
  readonly fraction: number;
}

/**
 * Is the unit basis special? Compares the {@link selectivity} of a layer's units with that of
 * the directions of random orthogonal bases of the same space (Szegedy et al. 2013 asked
 * this of single units against random directions; Bau et al. 2017 of whole rotated
 * representations). Each random basis Q is the Q factor of a seeded Gaussian matrix with
 * R's diagonal made positive (so Q is uniformly distributed, Haar); its directions'
 * activations are the columns of A·Q, measured from their own floors as every unit is.
 *
 * @param A - activations, (nInputs, nUnits)
 * @param labels - nInputs class indices 0 … k − 1, every class present, k ≥ 2
 * @returns the units' selectivities, every random direction's, and the fraction of random
 *   bases that are on average at least as selective as the units
 * @throws {@link core!LatentSpaceError} as {@link selectivity}; `INVALID_OPTION` for a bad option
 *
 * @see Szegedy et al. (2013), "Intriguing properties of neural networks", arXiv:1312.6199
 * @see Bau et al. (2017), "Network dissection: quantifying interpretability of deep visual representations", CVPR
 * @see Mezzadri (2007), "How to generate random matrices from the classical compact groups", Notices AMS 54(5)
 *
 * @example
 * ```ts
 * const r = isotropy(A, labels, { rotations: 50, seed: 1 });
 * r.fraction; // e.g. 0: no random basis is as class-selective as the ReLU units
 * ```
 */
export function isotropy(A: MatrixInput, labels: ArrayLike<number>, options?: IsotropyOptions): IsotropyResult {
  const opts = checkOptions(options, ISOTROPY_OPTIONS, 'isotropy: options');
  const rotations = checkInt(opts.rotations ?? 100, 'isotropy: rotations', 1);
  const random = randomFrom(opts.seed, 'isotropy: seed');
  const a = asMatrix64(A, 'A');
  const u = a.cols;
  const gaussians = Array.from({ length: rotations }, (): Matrix<Float64Array> => ({ rows: u, cols: u, data: random.fillNormal(new Float64Array(u * u)) }));
  return isotropyOf(a, labels, gaussians);
}

/**
 * {@link isotropy} against the bases given by Gaussian matrices (the Q of each one's QR
 * factorisation with a positive diagonal of R): the seeded draw is the only difference,
 * which lets tests compare with bases drawn elsewhere.
 */
export function isotropyOf(a: Matrix<Float64Array>, labels: ArrayLike<number>, gaussians: readonly Matrix[]): IsotropyResult {
  const classes: Classes = checkLabels(labels, a.rows);
  if (classes.count < 2) fail('INVALID_INPUT', 'labels: received one class, expected at least two (selectivity compares a unit\'s best class with the others)');
  const n = a.rows, u = a.cols, k = classes.count;
  const units = selectivityOf(a, classes);
  const rotated = new Float64Array(gaussians.length * u);
  const meanRotated = new Float64Array(gaussians.length);
  // Buffers reused across bases: A·Q, its class means and its column floors.
  const AQ = new Float64Array(n * u), P = new Float64Array(k * u), floors = new Float64Array(u);
  const gemm = gemmKernel();
  gaussians.forEach((G, r) => {
    const Q = qr(G).Q;
    gemm(false, false, n, u, u, 1, a.data, 0, u, Q.data, 0, u, 0, AQ, 0, u);
    classMeansInto(AQ, n, u, classes, P);
    columnMinima(AQ, n, u, floors);
    const row = rotated.subarray(r * u, (r + 1) * u);
    selectivityInto(P, k, u, floors, row);
    meanRotated[r] = mean(row);
  });
  const meanUnits = mean(units);
  let reach = 0;
  for (let r = 0; r < meanRotated.length; r++) if (meanRotated[r]! >= meanUnits) reach++;
  return { units, rotated: { rows: gaussians.length, cols: u, data: rotated }, meanUnits, meanRotated, fraction: reach / gaussians.length };
}

function mean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}
