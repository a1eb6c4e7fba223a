/**
 * Machine-readable category of a {@link core!LatentSpaceError}.
 *
 * - `SHAPE_MISMATCH`: dimensions of two arguments disagree, or an array is ragged.
 * - `EMPTY_INPUT`: an input has no rows or no columns.
 * - `NON_FINITE`: an input holds NaN or ±Infinity.
 * - `INVALID_OPTION`: an option is of the wrong type or out of range.
 * - `INVALID_INPUT`: an argument is not of an accepted kind at all.
 * - `WASM_UNAVAILABLE`: the WebAssembly backend was requested but cannot run here.
 * - `UNSUPPORTED`: a valid request this library does not (yet) handle.
 * - `INVALID_MODEL`: a serialised model is malformed or of the wrong kind.
 * - `OUT_OF_RANGE`: finite input whose scale puts a result beyond float64 (it would
 *   overflow to ±Infinity), or a size the library will not allocate or loop over.
 */
export type ErrorCode =
  | 'SHAPE_MISMATCH'
  | 'EMPTY_INPUT'
  | 'NON_FINITE'
  | 'INVALID_OPTION'
  | 'INVALID_INPUT'
  | 'WASM_UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'INVALID_MODEL'
  | 'OUT_OF_RANGE';

/**
 * The one error class latentspace throws. `code` is stable and meant for programs;
 * `message` names the argument, what was received and what was expected.
 *
 * @example
 * ```ts
 * import { asMatrix, LatentSpaceError } from 'latentspace/core';
 * try { asMatrix([[1, 2], [3]], 'X'); } catch (e) {
 *   (e as LatentSpaceError).code; // 'SHAPE_MISMATCH'
 * }
 * ```
 */
export class LatentSpaceError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'LatentSpaceError';
    this.code = code;
  }
}

/** Throws a {@link core!LatentSpaceError}; typed `never` so it can end an expression. */
export function fail(code: ErrorCode, message: string): never {
  throw new LatentSpaceError(code, message);
}

/**
 * Returns `value` when it is finite; otherwise throws `OUT_OF_RANGE` naming the user's
 * argument: finite input whose true result float64 cannot hold (never `NON_FINITE`, which
 * is about input).
 *
 * @example
 * ```ts
 * finiteResult(2, 'X', 'the inertia'); // 2
 * finiteResult(Infinity, 'X', 'the inertia'); // throws OUT_OF_RANGE: "X: the scale of the data is out of range: the inertia …"
 * ```
 */
export function finiteResult(value: number, name: string, what: string): number {
  if (value - value !== 0) {
    fail('OUT_OF_RANGE', `${name}: the scale of the data is out of range: ${what} exceeds the largest float64 (about 1.8e308); expected data (or weights) small enough for ${what} to be finite, e.g. divided by a constant`);
  }
  return value;
}

/**
 * {@link finiteResult} for every entry of an array; returns the array.
 *
 * @example
 * ```ts
 * finiteResults(new Float64Array([1, 2]), 'X', 'the centroids'); // Float64Array [1, 2]
 * ```
 */
export function finiteResults<A extends ArrayLike<number>>(values: A, name: string, what: string): A {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * 0;
  if (s !== 0) for (let i = 0; i < values.length; i++) finiteResult(values[i]!, name, what);
  return values;
}

/** Exhaustiveness check for `switch` over string-literal unions. */
export function assertNever(value: never, what: string): never {
  return fail('INVALID_OPTION', `${what}: unexpected value ${describe(value)}`);
}

/**
 * A number as error messages show it: integers exactly (sizes and indices stay exact),
 * other values to 5 significant digits (more when fewer would make them look like an
 * integer), and magnitudes below 1e-4 or from 1e15 up in exponent form.
 *
 * @example
 * ```ts
 * [formatNumber(499 / 3), formatNumber(123456789), formatNumber(2.0000001), formatNumber(1 / 3e9)];
 * // ['166.33', '123456789', '2.0000001', '3.3333e-10']
 * ```
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e21) return String(value);
  if (magnitude < 1e-4 || magnitude >= 1e15) return value.toExponential(4).replace(/\.?0+e/, 'e').replace('e+', 'e');
  for (let digits = 5; ; digits++) {
    // Number() drops the zeros toPrecision pads with; 17 digits always give the value back.
    const shown = Number(value.toPrecision(digits));
    if (!Number.isInteger(shown) || digits >= 17) return String(shown);
  }
}

/** A short, safe description of any value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}
