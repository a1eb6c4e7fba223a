import { describe, fail } from './errors.js';
import { fromJSON } from './json.js';
import type { FloatArray, Matrix } from './matrix.js';
import { ModelFields } from './model.js';

/** The key of a typed array's JSON encoding (src/core/json.ts). */
const TAG = '$typed';

/** The version of the export format written by scripts/sklearn_export.py. */
const SKLEARN_FORMAT = 1;

/**
 * A scikit-learn export (scripts/sklearn_export.py), opened for one module's `fromSklearn`:
 * every accessor checks the field it reads and throws `INVALID_MODEL` naming it
 * (`attributes.components_`, `params.whiten`) with what it received and what it expected.
 * Attributes keep scikit-learn's names; typed arrays keep their dtype.
 */
export interface SklearnReader {
  /** scikit-learn's class name, one of those the module accepts. */
  readonly estimator: string;
  /** The scikit-learn version that wrote the export. */
  readonly sklearnVersion: string;
  /** Whether the export carries this fitted attribute. */
  has(name: string): boolean;
  /**
   * A 2-D float attribute, finite, with the given shape where one is given; a 1-D one is
   * read as a single row when `vectorAsRow` (scikit-learn's single-target `coef_`).
   */
  matrix(name: string, shape?: { rows?: number; cols?: number; vectorAsRow?: boolean }): Matrix;
  /** A 1-D float attribute, finite, of the given length, every entry ≥ `min`. */
  vector(name: string, length?: number, min?: number): FloatArray;
  /** A finite number attribute, ≥ `min`. */
  number(name: string, min?: number): number;
  /** An integer attribute, ≥ `min`. */
  integer(name: string, min?: number): number;
  /** A string attribute, or undefined when absent. */
  string(name: string): string | undefined;
  /** Cluster labels: an Int32Array with entries in [0, k). */
  labels(name: string, k: number): Int32Array;
  /** A parameter of the estimator (its `get_params()`), or undefined when absent. */
  param(name: string): unknown;
  /** A boolean parameter, `fallback` when absent (or null). */
  booleanParam(name: string, fallback: boolean): boolean;
  /** An integer parameter ≥ `min`, `fallback` when absent (or null). */
  integerParam<F>(name: string, fallback: F, min?: number): number | F;
  /** Throws `INVALID_MODEL` for a field that fails a module's own check. */
  invalid(field: string, received: string, expected: string): never;
}

/**
 * Opens a scikit-learn export: a string written by scripts/sklearn_export.py, or that string
 * already parsed by `fromJSON`. Checks the envelope (`kind: 'sklearn'`, the format version,
 * an estimator among `accepted`) and returns a {@link SklearnReader}.
 *
 * @param fn - the calling function, for messages (`'pca.fromSklearn'`)
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const r = sklearnReader(text, ['PCA', 'IncrementalPCA'], 'pca.fromSklearn');
 * r.matrix('components_').rows; // n_components_
 * ```
 */
export function sklearnReader(json: string | object, accepted: readonly string[], fn: string): SklearnReader {
  const value = typeof json === 'string' ? fromJSON(json) : json;
  const invalid = (field: string, received: string, expected: string): never =>
    fail('INVALID_MODEL', `${fn}: ${field}: received ${received}, expected ${expected}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    invalid('json', describe(value), 'a scikit-learn export written by scripts/sklearn_export.py');
  }
  const root = value as Record<string, unknown>;
  if (root.kind !== 'sklearn') {
    const hint = typeof root.kind === 'string' && root.kind !== '' ? ` (a model saved with toJSON is read by ${fn.split('.')[0]}.load)` : '';
    invalid('kind', describe(root.kind), `'sklearn', the tag of scripts/sklearn_export.py's output${hint}`);
  }
  if (root.format !== SKLEARN_FORMAT) invalid('format', describe(root.format), `${SKLEARN_FORMAT}`);
  const estimator = root.estimator;
  if (typeof estimator !== 'string' || !accepted.includes(estimator)) {
    invalid('estimator', describe(estimator), `one of ${accepted.map((a) => `'${a}'`).join(', ')}`);
  }
  const sklearnVersion = typeof root.sklearn_version === 'string' ? root.sklearn_version : 'unknown';
  const params = record(root.params, 'params', invalid);
  const attributes = record(root.attributes, 'attributes', invalid);
  // The model checks every module's load runs, with messages `<fn>: attributes.<name>: …`.
  const fields = new ModelFields(attributes, `${fn}: attributes`);
  const paramFields = new ModelFields(params, `${fn}: params`);

  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(attributes, name);
  // An absent attribute, and a typed array left as its JSON tag, get messages of their own.
  const present = (name: string, v: unknown = attributes[name]): void => {
    if (!has(name)) invalid(`attributes.${name}`, 'nothing', `the fitted attribute ${name} of a ${estimator as string}`);
    if (v !== null && typeof v === 'object' && TAG in v) {
      invalid(`attributes.${name}`, 'a raw typed-array tag', 'a typed array: pass the text, or parse it with fromJSON (not JSON.parse)');
    }
  };

  return {
    estimator: estimator as string,
    sklearnVersion,
    has,
    matrix(name, shape = {}) {
      const v = attributes[name];
      present(name, v !== null && typeof v === 'object' && 'data' in v ? v.data : v);
      if (shape.vectorAsRow === true && (v instanceof Float64Array || v instanceof Float32Array)) {
        const data = fields.floats(name, { length: shape.cols ?? { min: 1 } });
        if (shape.rows !== undefined && shape.rows !== 1) invalid(`attributes.${name}`, 'a vector (one row)', `${shape.rows} rows`);
        return { rows: 1, cols: data.length, data };
      }
      const m = fields.matrix(name, { rows: shape.rows ?? { min: 1 }, cols: shape.cols ?? { min: 1 } });
      // A new object: models are frozen, and the caller's export must not be.
      return { rows: m.rows, cols: m.cols, data: m.data };
    },
    vector(name, length, min) {
      present(name);
      return fields.floats(name, { length: length ?? { min: 0 }, min: min ?? -Infinity });
    },
    number(name, min) {
      present(name);
      return fields.number(name, { min: min ?? -Infinity });
    },
    integer(name, min) {
      present(name);
      return fields.number(name, { min: min ?? -Infinity, integer: true });
    },
    string(name) {
      if (!has(name)) return undefined;
      const v = attributes[name];
      if (typeof v !== 'string') fields.bad(name, 'a string');
      return v as string;
    },
    labels(name, k) {
      present(name);
      return fields.ints(name, { min: 0, max: k - 1 });
    },
    param: (name) => params[name],
    booleanParam(name, fallback) {
      return params[name] === undefined || params[name] === null ? fallback : paramFields.boolean(name);
    },
    integerParam(name, fallback, min) {
      if (params[name] === undefined || params[name] === null) return fallback;
      return paramFields.number(name, { min: min ?? -Infinity, integer: true });
    },
    invalid,
  };
}

function record(v: unknown, name: string, invalid: (f: string, r: string, e: string) => never): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) invalid(name, describe(v), 'an object');
  return v as Record<string, unknown>;
}

/**
 * `a` in the element type of `like` (a copy only when the types differ): one model keeps
 * one dtype, that of its main array.
 *
 * @example
 * ```ts
 * sameDtype(new Float64Array([0.5]), new Float32Array(0)); // Float32Array [0.5]
 * ```
 */
export function sameDtype(a: FloatArray, like: FloatArray): FloatArray {
  if (like instanceof Float32Array) return a instanceof Float32Array ? a : Float32Array.from(a);
  return a instanceof Float64Array ? a : Float64Array.from(a);
}
