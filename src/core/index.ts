/**
 * `latentspace/core`: the data model every module shares. Matrices and input coercion,
 * the error type, the seeded random generator, model serialisation, and the drivers that
 * run a module's `steps` generator. Every export is listed in docs/api.md; the library's
 * internal helpers (option checks, error builders) are not part of it.
 *
 * @packageDocumentation
 */
export { LatentSpaceError } from './errors.js';
export type { ErrorCode } from './errors.js';
export {
  asMatrix, asMatrix64, asVector, isMatrix, toArrays, toNdarray, toMlMatrix, zeros,
} from './matrix.js';
export type { Matrix, FloatArray, MatrixInput, RowsInput, AsMatrixOptions, NdarrayLike, MlMatrixLike, FlatArray } from './matrix.js';
export { Random } from './random.js';
export type { SeedLike } from './random.js';
export { toJSON, fromJSON } from './json.js';
export { drive, driveAsync } from './iterate.js';
export type { Progress, OnProgress } from './iterate.js';
