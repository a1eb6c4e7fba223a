import { fail } from '../core/errors.js';
import { asMatrix64, asRows, asVector, singleRow, type FlatArray, type Matrix, type MatrixInput, type RowsInput } from '../core/matrix.js';
import { checkInt } from '../core/options.js';
import { matmul } from '../linalg/matmul.js';
import { encode } from '../omp/encode.js';
import { checkModel, type KsvdModel } from './model.js';

function asSignal(z: ArrayLike<number> | Matrix, p: number): Matrix<Float64Array> {
  const v = asVector(z, 'z');
  if (v.length !== p) fail('SHAPE_MISMATCH', `z: received ${v.length} values, expected ${p} (the dictionary's nFeatures)`);
  return { rows: 1, cols: p, data: v };
}

/**
 * Sparse codes of X by Batch-OMP over the model's dictionary with `model.nNonzero` atoms
 * per signal: X ≈ codes · dictionary.
 *
 * @param X - signals, (nSamples × nFeatures); or one signal as a `number[]` or 1-D typed array
 * @returns codes, (nSamples × nAtoms); for one signal, its code (nAtoms)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when X does not have nFeatures columns
 *
 * @example
 * ```ts
 * const codes = ksvd.transform(model, X); // at most model.nNonzero non-zeros per row
 * ksvd.transform(model, X[0]); // Float64Array, the first row of codes
 * ```
 */
export function transform(model: KsvdModel, X: FlatArray): Float64Array;
export function transform(model: KsvdModel, X: RowsInput): Matrix<Float64Array>;
export function transform(model: KsvdModel, X: RowsInput | FlatArray): Matrix<Float64Array> | Float64Array;
export function transform(model: KsvdModel, X: RowsInput | FlatArray): Matrix<Float64Array> | Float64Array {
  checkModel(model);
  const { matrix, single } = asRows(X, 'X', { dtype: 'float64' });
  const codes = encode(model.dictionary, matrix, { nNonzero: model.nNonzero }).codes;
  return single ? singleRow(codes) : codes;
}

/**
 * Signals back from codes: codes · dictionary.
 *
 * @param codes - (nSamples × nAtoms); or one code as a `number[]` or 1-D typed array
 * @returns (nSamples × nFeatures); for one code, its signal (nFeatures)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when codes do not have nAtoms columns
 *
 * @example
 * ```ts
 * const approx = ksvd.inverseTransform(model, ksvd.transform(model, X)); // ≈ X
 * ksvd.inverseTransform(model, ksvd.transform(model, X[0])); // ≈ X[0], a Float64Array
 * ```
 */
export function inverseTransform(model: KsvdModel, codes: FlatArray): Float64Array;
export function inverseTransform(model: KsvdModel, codes: RowsInput): Matrix<Float64Array>;
export function inverseTransform(model: KsvdModel, codes: RowsInput | FlatArray): Matrix<Float64Array> | Float64Array;
export function inverseTransform(model: KsvdModel, codes: RowsInput | FlatArray): Matrix<Float64Array> | Float64Array {
  checkModel(model);
  const { matrix: c, single } = asRows(codes, 'codes', { dtype: 'float64' });
  const K = model.dictionary.rows;
  if (c.cols !== K) fail('SHAPE_MISMATCH', `codes: received ${c.rows} × ${c.cols}, expected ${K} columns (nAtoms)`);
  const signals = matmul(c, model.dictionary) as Matrix<Float64Array>;
  return single ? singleRow(signals) : signals;
}

/**
 * One atom of a decomposition: its index in the dictionary and its weight.
 *
 * @example
 * ```ts
 * const part: AtomWeight = { atom: 17, weight: 1.9 };
 * ```
 */
export interface AtomWeight {
  readonly atom: number;
  readonly weight: number;
}

/**
 * Which atoms, with which weights, make up one vector: its OMP code with `model.nNonzero`
 * atoms, the non-zero entries sorted by |weight|, largest first.
 *
 * @param z - one signal, (nFeatures)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when z does not have nFeatures values
 *
 * @example
 * ```ts
 * ksvd.decode(model, z); // [{ atom: 17, weight: 1.9 }, { atom: 3, weight: -0.7 }, …]
 * ```
 */
export function decode(model: KsvdModel, z: ArrayLike<number> | Matrix): AtomWeight[] {
  checkModel(model);
  const x = asSignal(z, model.dictionary.cols);
  const c = encode(model.dictionary, x, { nNonzero: model.nNonzero }).codes.data;
  const out: AtomWeight[] = [];
  for (let k = 0; k < c.length; k++) if (c[k] !== 0) out.push({ atom: k, weight: c[k]! });
  out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.atom - b.atom);
  return out;
}

/**
 * The "artist's strokes": row j is the OMP reconstruction of z with j + 1 atoms
 * (j = 0 … nNonzero − 1), the broad strokes first. OMP is greedy, so every row adds one atom
 * to the previous support and refits all weights. When z is represented exactly before
 * nNonzero atoms, the remaining rows repeat the exact reconstruction.
 *
 * @param z - one signal, (nFeatures)
 * @returns (nNonzero × nFeatures)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when z does not have nFeatures values
 *
 * @example
 * ```ts
 * const path = ksvd.incremental(model, z);
 * path.data.subarray(0, path.cols); // z with one atom
 * ```
 */
export function incremental(model: KsvdModel, z: ArrayLike<number> | Matrix): Matrix<Float64Array> {
  checkModel(model);
  const D = model.dictionary;
  const x = asSignal(z, D.cols);
  const s = model.nNonzero;
  const out = new Float64Array(s * D.cols);
  for (let j = 0; j < s; j++) {
    const c = encode(D, x, { nNonzero: j + 1 }).codes;
    out.set(matmul(c, D).data, j * D.cols);
  }
  return { rows: s, cols: D.cols, data: out };
}

/**
 * The decomposition in reverse: the samples whose code uses `atom` (a non-zero weight),
 * strongest |weight| first (ties by index).
 *
 * @param codes - (nSamples × nAtoms), e.g. from {@link transform}
 * @param atom - an atom index in [0, nAtoms)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when codes do not have nAtoms columns,
 *   `INVALID_OPTION` when atom is out of range
 *
 * @example
 * ```ts
 * const codes = ksvd.transform(model, X);
 * const users = ksvd.query(model, codes, 17); // Int32Array of row indices of X
 * ```
 */
export function query(model: KsvdModel, codes: MatrixInput, atom: number): Int32Array {
  checkModel(model);
  const c = asMatrix64(codes, 'codes');
  const K = model.dictionary.rows;
  if (c.cols !== K) fail('SHAPE_MISMATCH', `codes: received ${c.rows} × ${c.cols}, expected ${K} columns (nAtoms)`);
  checkInt(atom, 'atom', 0, K - 1);
  const idx: number[] = [];
  for (let i = 0; i < c.rows; i++) if (c.data[i * K + atom] !== 0) idx.push(i);
  idx.sort((a, b) => Math.abs(c.data[b * K + atom]!) - Math.abs(c.data[a * K + atom]!) || a - b);
  return Int32Array.from(idx);
}
