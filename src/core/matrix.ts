import { describe, fail } from './errors.js';
import { checkChoice, checkOptions, optionNames } from './options.js';

/** A dense floating-point buffer: the only element types latentspace computes in. */
export type FloatArray = Float64Array | Float32Array;

/**
 * A dense matrix, row-major and contiguous: entry (i, j) is `data[i * cols + j]`.
 * `data` is a `Float64Array`, or a `Float32Array` where a function says it keeps float32.
 *
 * @example
 * ```ts
 * const M: Matrix = { rows: 2, cols: 3, data: new Float64Array([1, 2, 3, 4, 5, 6]) };
 * M.data[1 * M.cols + 2]; // 6
 * ```
 */
export interface Matrix<T extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

/** An ndarray (scijs) of two dimensions, recognised by shape; the package is never imported. */
export interface NdarrayLike {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

/** An ml-matrix `Matrix` (or `AbstractMatrix`), recognised by shape; the package is never imported. */
export interface MlMatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
  to2DArray(): number[][];
}

/** A typed array or plain array of numbers, to be read with an explicit shape. */
export type FlatArray = ArrayLike<number>;

/** Everything {@link asMatrix} accepts. */
export type MatrixInput =
  | Matrix
  | readonly (readonly number[] | FloatArray)[]
  | NdarrayLike
  | MlMatrixLike
  | { readonly rows: number; readonly cols: number; readonly data: FlatArray }
  | FlatArray;

/** Options of {@link asMatrix}. */
export interface AsMatrixOptions {
  /** Row count, required when `input` is a flat array. */
  rows?: number;
  /** Column count, required when `input` is a flat array. */
  cols?: number;
  /**
   * Element type of the result. `'keep'` keeps `Float32Array` input as float32 and turns
   * everything else into float64.
   * @defaultValue 'keep'
   */
  dtype?: 'keep' | 'float64' | 'float32';
}

/** Every option name of {@link AsMatrixOptions} (unknown ones are rejected). */
const AS_MATRIX_OPTION_NAMES = optionNames<AsMatrixOptions>()('rows', 'cols', 'dtype');
const DTYPES = ['keep', 'float64', 'float32'] as const;

/** Allocates a zero matrix. */
export function zeros(rows: number, cols: number, dtype: 'float64' | 'float32' = 'float64'): Matrix {
  const data = dtype === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  return { rows, cols, data };
}

/** Allocates a float64 zero matrix. */
export function zeros64(rows: number, cols: number): Matrix<Float64Array> {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** True for a well-formed {@link Matrix} (contiguous float data of length rows · cols). */
export function isMatrix(value: unknown): value is Matrix {
  if (value === null || typeof value !== 'object') return false;
  const m = value as Partial<Matrix>;
  return (
    typeof m.rows === 'number' &&
    typeof m.cols === 'number' &&
    (m.data instanceof Float64Array || m.data instanceof Float32Array) &&
    m.data.length === m.rows * m.cols
  );
}

/**
 * {@link asMatrix} with the default name `'X'` and the options (a flat array's shape, the
 * element type) as the second argument.
 *
 * @example
 * ```ts
 * asMatrix(new Float64Array([1, 2, 3, 4, 5, 6]), { rows: 2, cols: 3 }).rows; // 2
 * ```
 */
export function asMatrix(input: MatrixInput, options?: AsMatrixOptions): Matrix;
/**
 * Turns any accepted matrix-like input into a validated {@link Matrix}.
 *
 * Accepts `number[][]` (or an array of typed-array rows), a Matrix, `{ rows, cols, data }`
 * with any numeric array, a flat array with its shape (`asMatrix(flat, { rows, cols })`, or
 * `asMatrix(flat, name, { rows, cols })`), a 2-D ndarray with any strides and offset, or an
 * ml-matrix `Matrix`. Checks that it is rectangular, non-empty and finite, naming `name` in
 * every error. The input is never modified; it is copied only when its layout or element
 * type requires it, so the result may share memory with a contiguous float input.
 *
 * @param input - the matrix-like value, shape (rows, cols)
 * @param name - the argument's name, used in error messages (default `'X'`); or, in its
 *   place, the options (a flat array's shape)
 * @param options - a flat array's `rows` and `cols`, and the element type
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT`, `EMPTY_INPUT`, `SHAPE_MISMATCH`, `NON_FINITE`
 *
 * @example
 * ```ts
 * const X = asMatrix([[1, 2], [3, 4], [5, 6]], 'X');
 * [X.rows, X.cols, X.data[5]]; // [3, 2, 6]
 * asMatrix(new Float64Array([1, 2, 3, 4, 5, 6]), { rows: 2, cols: 3 }).rows; // 2
 * ```
 */
export function asMatrix(input: MatrixInput, name?: string, options?: AsMatrixOptions): Matrix;
export function asMatrix(input: MatrixInput, nameOrOptions?: string | AsMatrixOptions, options?: AsMatrixOptions): Matrix {
  const [name, given] = nameAndOptions(nameOrOptions, options);
  const m = coerceNonEmpty(input, name, given);
  checkFinite(m, name);
  return m;
}

/** asMatrix but for the finiteness scan. */
function coerceNonEmpty(input: MatrixInput, name: string, given: AsMatrixOptions | undefined): Matrix {
  const opts = checkOptions(given, AS_MATRIX_OPTION_NAMES);
  if (opts.dtype !== undefined) checkChoice(opts.dtype, 'dtype', DTYPES);
  const m = coerce(input, name, opts);
  if (m.rows === 0 || m.cols === 0) {
    fail('EMPTY_INPUT', `${name}: received a ${m.rows} × ${m.cols} matrix, expected at least one row and one column`);
  }
  return m;
}

/**
 * {@link asMatrix} without its finiteness scan, for a caller whose own first pass over the
 * data shows finiteness on the way (k-means' column sums: a non-finite entry makes its
 * column's sum non-finite; interp's batch distances: a non-finite entry makes its row's
 * distance non-finite) and calls {@link checkFinite} when it does not. Not part of the
 * public API.
 *
 * @example
 * ```ts
 * asMatrixUnscanned([[1, NaN]], 'X').data[1]; // NaN (no error until checkFinite)
 * ```
 */
export function asMatrixUnscanned(input: MatrixInput, name: string, options?: AsMatrixOptions): Matrix {
  return coerceNonEmpty(input, name, options);
}

/** The name and the options of `asMatrix(input, name?, options?)` or `asMatrix(input, options?)`. */
function nameAndOptions<O extends object>(nameOrOptions: string | O | undefined, options: O | undefined): [string, O | undefined] {
  if (nameOrOptions === undefined || typeof nameOrOptions === 'string') return [nameOrOptions ?? 'X', options];
  if (options !== undefined) {
    fail('INVALID_OPTION', `options: received options in both the second and the third argument, expected asMatrix(input, options) or asMatrix(input, name, options)`);
  }
  return ['X', nameOrOptions];
}

/**
 * Like {@link asMatrix}, and additionally guarantees a `Float64Array` (copying float32 input).
 *
 * @example
 * ```ts
 * asMatrix64(new Float32Array([1, 2]), 'x', { rows: 1, cols: 2 }).data instanceof Float64Array; // true
 * ```
 */
export function asMatrix64(input: MatrixInput, options?: Omit<AsMatrixOptions, 'dtype'>): Matrix<Float64Array>;
export function asMatrix64(input: MatrixInput, name?: string, options?: Omit<AsMatrixOptions, 'dtype'>): Matrix<Float64Array>;
export function asMatrix64(input: MatrixInput, nameOrOptions?: string | Omit<AsMatrixOptions, 'dtype'>, options?: Omit<AsMatrixOptions, 'dtype'>): Matrix<Float64Array> {
  const [name, given] = nameAndOptions(nameOrOptions, options);
  return asMatrix(input, name, { ...checkOptions(given), dtype: 'float64' }) as Matrix<Float64Array>;
}

/**
 * Every {@link MatrixInput} but a flat array: the forms whose rows are known without a shape.
 * Functions that take samples as rows accept these, or one sample as a flat array
 * ({@link FlatArray}), for which they answer with one row.
 */
export type RowsInput = Exclude<MatrixInput, FlatArray>;

/** What {@link asRows} returns: the samples as a Matrix, and whether the input was one row. */
export interface Rows<T extends FloatArray = FloatArray> {
  readonly matrix: Matrix<T>;
  /** True when the input was a single row (a flat array): the caller answers with one row. */
  readonly single: boolean;
}

/**
 * The rule of every function that takes samples as the rows of a matrix: a matrix-like
 * input as {@link asMatrix} takes it, or one sample as a plain `number[]` or a 1-D typed
 * array, read as a (1 × length) matrix. `single` says which it was, so the function can
 * answer a single row with a single row ({@link singleRow}).
 *
 * @example
 * ```ts
 * asRows([1, 2, 3], 'X'); // { matrix: (1 × 3), single: true }
 * asRows([[1, 2, 3]], 'X').single; // false
 * ```
 */
export function asRows(input: RowsInput | FlatArray, name: string, options: { dtype: 'float64' }): Rows<Float64Array>;
export function asRows(input: RowsInput | FlatArray, name?: string, options?: Pick<AsMatrixOptions, 'dtype'>): Rows;
export function asRows(input: RowsInput | FlatArray, name = 'X', options?: Pick<AsMatrixOptions, 'dtype'>): Rows {
  if (isFlat(input)) {
    const n = input.length;
    return { matrix: asMatrix({ rows: n === 0 ? 0 : 1, cols: n, data: input }, name, options), single: true };
  }
  return { matrix: asMatrix(input, name, options), single: false };
}

/** A plain array whose first entry is not an array, or a 1-D typed array. */
function isFlat(input: unknown): input is FlatArray {
  if (Array.isArray(input)) return input.length > 0 && !isRowLike(input[0]);
  return ArrayBuffer.isView(input) && !(input instanceof DataView);
}

/**
 * The one row of a (1 × cols) result, for functions that answer one sample with one row
 * (see {@link asRows}); the row shares the result's memory.
 *
 * @example
 * ```ts
 * singleRow({ rows: 1, cols: 2, data: new Float64Array([3, 4]) }); // Float64Array [3, 4]
 * ```
 */
export function singleRow<T extends FloatArray>(m: Matrix<T>): T {
  return m.data.subarray(0, m.cols) as T;
}

function coerce(input: MatrixInput, name: string, options: AsMatrixOptions): Matrix {
  const dtype = options.dtype ?? 'keep';
  if (input === null || typeof input !== 'object') {
    return fail('INVALID_INPUT', `${name}: received ${describe(input)}, expected a matrix (number[][], Matrix, ndarray or ml-matrix Matrix)`);
  }
  if (Array.isArray(input) && (input.length === 0 || isRowLike(input[0]))) {
    return fromRows(input as readonly ArrayLike<number>[], name, dtype);
  }
  if (isNdarray(input)) return fromNdarray(input, name, dtype);
  if (isMlMatrix(input)) return fromMlMatrix(input, name, dtype);
  if (isShaped(input)) return fromFlat(input.data, input.rows, input.cols, name, dtype);
  if (ArrayBuffer.isView(input) || Array.isArray(input)) {
    const { rows, cols } = options;
    if (rows === undefined || cols === undefined) {
      return fail('INVALID_INPUT', `${name}: received a flat array of ${(input as FlatArray).length} values without a shape, expected its shape, as in asMatrix(data, { rows, cols }) or asMatrix(data, name, { rows, cols }), or number[][]`);
    }
    return fromFlat(input as FlatArray, rows, cols, name, dtype);
  }
  return fail('INVALID_INPUT', `${name}: received ${describe(input)}, expected a matrix (number[][], Matrix, ndarray or ml-matrix Matrix)`);
}

function isRowLike(value: unknown): boolean {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function isNdarray(value: object): value is NdarrayLike {
  const v = value as Partial<NdarrayLike>;
  return Array.isArray(v.shape) && Array.isArray(v.stride) && typeof v.offset === 'number' && v.data !== undefined;
}

function isMlMatrix(value: object): value is MlMatrixLike {
  const v = value as Partial<MlMatrixLike>;
  return typeof v.rows === 'number' && typeof v.columns === 'number' && typeof v.get === 'function';
}

function isShaped(value: object): value is { rows: number; cols: number; data: FlatArray } {
  const v = value as { rows?: unknown; cols?: unknown; data?: unknown };
  return typeof v.rows === 'number' && typeof v.cols === 'number' && (ArrayBuffer.isView(v.data) || Array.isArray(v.data));
}

function allocate(rows: number, cols: number, float32: boolean): FloatArray {
  return float32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
}

function wantsFloat32(source: unknown, dtype: AsMatrixOptions['dtype']): boolean {
  return dtype === 'float32' || (dtype === 'keep' && source instanceof Float32Array);
}

function fromRows(rowsIn: readonly ArrayLike<number>[], name: string, dtype: AsMatrixOptions['dtype']): Matrix {
  const rows = rowsIn.length;
  const cols = rows === 0 ? 0 : rowsIn[0]!.length;
  const data = allocate(rows, cols, wantsFloat32(rowsIn[0], dtype));
  for (let i = 0; i < rows; i++) {
    const row = rowsIn[i];
    if (!isRowLike(row)) fail('INVALID_INPUT', `${name}: row ${i} is ${describe(row)}, expected an array of numbers`);
    if (row!.length !== cols) fail('SHAPE_MISMATCH', `${name}: row ${i} has ${row!.length} values, expected ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v = row![j];
      if (typeof v !== 'number') fail('INVALID_INPUT', `${name}: entry (${i}, ${j}) is ${describe(v)}, expected a number`);
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

function checkShape(rows: unknown, cols: unknown, name: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || (rows as number) < 0 || (cols as number) < 0) {
    fail('INVALID_INPUT', `${name}: shape (${describe(rows)}, ${describe(cols)}) is not a pair of non-negative integers`);
  }
}

function fromFlat(source: FlatArray, rows: number, cols: number, name: string, dtype: AsMatrixOptions['dtype']): Matrix {
  checkShape(rows, cols, name);
  if (source.length !== rows * cols) {
    fail('SHAPE_MISMATCH', `${name}: data has ${source.length} values, expected rows × cols = ${rows} × ${cols} = ${rows * cols}`);
  }
  const float32 = wantsFloat32(source, dtype);
  if (float32 ? source instanceof Float32Array : source instanceof Float64Array) {
    return { rows, cols, data: source as FloatArray };
  }
  const data = allocate(rows, cols, float32);
  for (let i = 0; i < data.length; i++) {
    const v = source[i];
    if (typeof v !== 'number') fail('INVALID_INPUT', `${name}: entry ${i} is ${describe(v)}, expected a number`);
    data[i] = v;
  }
  return { rows, cols, data };
}

function fromNdarray(nd: NdarrayLike, name: string, dtype: AsMatrixOptions['dtype']): Matrix {
  if (nd.shape.length !== 2) {
    fail('SHAPE_MISMATCH', `${name}: received an ndarray of ${nd.shape.length} dimensions, expected 2`);
  }
  const [rows, cols] = nd.shape as [number, number];
  const [s0, s1] = nd.stride as [number, number];
  checkShape(rows, cols, name);
  const contiguous = nd.offset === 0 && s1 === 1 && (s0 === cols || rows <= 1) && nd.data.length === rows * cols;
  if (contiguous) return fromFlat(nd.data, rows, cols, name, dtype);
  const data = allocate(rows, cols, wantsFloat32(nd.data, dtype));
  const src = nd.data;
  for (let i = 0; i < rows; i++) {
    let p = nd.offset + i * s0;
    for (let j = 0; j < cols; j++, p += s1) data[i * cols + j] = entry(src[p], name, i, j);
  }
  return { rows, cols, data };
}

/** A number read from a foreign container, or INVALID_INPUT naming its position (no coercion of strings, booleans, null). */
function entry(v: unknown, name: string, i: number, j: number): number {
  if (typeof v !== 'number') fail('INVALID_INPUT', `${name}: entry (${i}, ${j}) is ${describe(v)}, expected a number`);
  return v;
}

function fromMlMatrix(ml: MlMatrixLike, name: string, dtype: AsMatrixOptions['dtype']): Matrix {
  const rows = ml.rows;
  const cols = ml.columns;
  checkShape(rows, cols, name);
  const data = allocate(rows, cols, dtype === 'float32');
  const rowArrays = (ml as { data?: unknown }).data;
  // ml-matrix keeps one Float64Array per row; reading them directly avoids a get() per entry.
  if (Array.isArray(rowArrays) && rowArrays.length === rows && rowArrays.every((r) => r instanceof Float64Array && r.length === cols)) {
    for (let i = 0; i < rows; i++) data.set((rowArrays[i] as Float64Array), i * cols);
  } else {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = entry(ml.get(i, j), name, i, j);
  }
  return { rows, cols, data };
}

/**
 * Throws `NON_FINITE`, naming the first non-finite entry of m and `name`, if there is one.
 *
 * @example
 * ```ts
 * checkFinite({ rows: 1, cols: 2, data: new Float64Array([1, NaN]) }, 'X'); // throws: X: entry (0, 1) is NaN, …
 * ```
 */
export function checkFinite(m: Matrix, name: string): void {
  if (allFinite(m.data)) return;
  const { data, cols } = m;
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (!Number.isFinite(v)) {
      const i = Math.floor(p / cols);
      fail('NON_FINITE', `${name}: entry (${i}, ${p - i * cols}) is ${v}, expected a finite number (remove or impute non-finite values first)`);
    }
  }
}

// x · 0 is 0 for every finite x and NaN for NaN and ±Infinity, so one sum answers "all
// finite?" without a branch per entry; four partial sums keep the adds independent. This
// scan runs on every public call, so it must cost far less than the work it guards.
/**
 * Whether every entry is finite (no NaN, no ±Infinity), without a branch per entry. Not
 * part of the public API.
 *
 * @example
 * ```ts
 * allFinite(new Float64Array([1, Infinity])); // false
 * ```
 */
export function allFinite(data: FloatArray): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = data.length, end = n - (n % 4);
  let p = 0;
  for (; p < end; p += 4) {
    s0 += data[p]! * 0;
    s1 += data[p + 1]! * 0;
    s2 += data[p + 2]! * 0;
    s3 += data[p + 3]! * 0;
  }
  for (; p < n; p++) s0 += data[p]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/**
 * Turns a vector-like input (number[], typed array, or a 1-row/1-column matrix) into a
 * validated, finite `Float64Array`. Copies unless the input already is a `Float64Array`.
 *
 * @example
 * ```ts
 * asVector([1, 2, 3], 'x'); // Float64Array [1, 2, 3]
 * ```
 */
export function asVector(input: ArrayLike<number> | Matrix, name = 'x'): Float64Array {
  let out: Float64Array;
  if (isMatrix(input)) {
    if (input.rows !== 1 && input.cols !== 1) {
      fail('SHAPE_MISMATCH', `${name}: received a ${input.rows} × ${input.cols} matrix, expected a vector (one row or one column)`);
    }
    out = input.data instanceof Float64Array ? input.data : Float64Array.from(input.data);
  } else if (input instanceof Float64Array) {
    out = input;
  } else if (Array.isArray(input) || (ArrayBuffer.isView(input) && !(input instanceof DataView))) {
    // As strict as asMatrix: '0x10', ' 2 ', '', null, true and BigInts are not numbers.
    const n = (input as ArrayLike<unknown>).length;
    out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = (input as ArrayLike<unknown>)[i];
      if (typeof v !== 'number') fail('INVALID_INPUT', `${name}: entry ${i} is ${describe(v)}, expected a number`);
      out[i] = v;
    }
  } else {
    return fail('INVALID_INPUT', `${name}: received ${describe(input)}, expected an array of numbers`);
  }
  if (out.length === 0) fail('EMPTY_INPUT', `${name}: received an empty vector, expected at least one value`);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v - v !== 0) fail('NON_FINITE', `${name}: entry ${i} is ${v}, expected a finite number`);
  }
  return out;
}

/**
 * Copies a Matrix into an array of rows.
 *
 * @example
 * ```ts
 * toArrays({ rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) }); // [[1, 2], [3, 4]]
 * ```
 */
export function toArrays(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

/**
 * Wraps a Matrix as an ndarray, sharing its memory. Pass the `ndarray` function itself, so
 * latentspace never imports the package.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const nd = toNdarray(asMatrix([[1, 2], [3, 4]]), ndarray);
 * nd.get(1, 0); // 3
 * ```
 */
export function toNdarray<R>(m: Matrix, ndarray: (data: FloatArray, shape: number[], stride?: number[], offset?: number) => R): R {
  return ndarray(m.data, [m.rows, m.cols], [m.cols, 1], 0);
}

/**
 * Copies a Matrix into an ml-matrix `Matrix`. Pass the class itself, so latentspace never
 * imports the package.
 *
 * @example
 * ```ts
 * import { Matrix as MlMatrix } from 'ml-matrix';
 * toMlMatrix(asMatrix([[1, 2], [3, 4]]), MlMatrix).get(0, 1); // 2
 * ```
 */
export function toMlMatrix<R>(m: Matrix, MlMatrix: new (data: number[][]) => R): R {
  return new MlMatrix(toArrays(m));
}
