/**
 * `latentspace/core`: the data model every module shares. Matrices and input coercion,
 * the error type, option checks, the seeded random generator, and model serialisation.
 *
 * @packageDocumentation
 */
export { LatentSpaceError, fail, assertNever, describe } from './errors.js';
export type { ErrorCode } from './errors.js';
export {
  asMatrix, asMatrix64, asVector, isMatrix, toArrays, toNdarray, toMlMatrix, zeros, zeros64,
} from './matrix.js';
export type { Matrix, FloatArray, MatrixInput, AsMatrixOptions, NdarrayLike, MlMatrixLike, FlatArray } from './matrix.js';
export { checkInt, checkNumber, checkBoolean, checkChoice, checkOptions } from './options.js';
export { Random, randomFrom } from './random.js';
export type { SeedLike } from './random.js';
export { toJSON, fromJSON, checkKind, loadModel } from './json.js';
export { drive, driveAsync, nextTick } from './iterate.js';
export type { Progress, OnProgress } from './iterate.js';
