import { describe, fail } from './errors.js';
import { checkKind } from './json.js';
import { isMatrix, type FloatArray, type Matrix } from './matrix.js';
import { range } from './options.js';

// One place for the checks every module runs on a model, in its `load` and at the start of
// every function that takes one (DESIGN.md, "One contract"): the kind tag, then each field's
// type, shape and finiteness, each failure an `INVALID_MODEL` naming the field. A model that
// arrives from outside (a file, a worker, another module) then fails at the boundary with its
// field named, never as a TypeError or a NaN deep inside a kernel.

/** Bounds on an array's length or a matrix's rows and columns: exact, or a range. */
export interface SizeSpec {
  /** The exact size. */
  readonly is?: number;
  /** The smallest size. @defaultValue 0 */
  readonly min?: number;
  /** The largest size. @defaultValue Infinity */
  readonly max?: number;
}

/** What a float field must hold. */
export interface FloatSpec {
  /** Its length (an exact number, or a range). */
  readonly length?: number | SizeSpec;
  /** Only Float64Array (by default Float32Array is accepted too). */
  readonly float64?: boolean;
  /** The smallest value allowed (every entry is also finite). @defaultValue -Infinity */
  readonly min?: number;
  /** Allow ±Infinity and NaN entries (a field that records them on purpose). @defaultValue false */
  readonly nonFinite?: boolean;
}

/** What a matrix field must hold. */
export interface MatrixSpec {
  readonly rows?: number | SizeSpec;
  readonly cols?: number | SizeSpec;
  /** Only float64 data. */
  readonly float64?: boolean;
  /** The smallest value allowed. @defaultValue -Infinity */
  readonly min?: number;
}

/**
 * Reads a model field by field, each read checking the field and failing with
 * `INVALID_MODEL` and `model.<field>: received …, expected …`. Created by
 * {@link checkModelFields}, which checks the kind first.
 *
 * @example
 * ```ts
 * const f = checkModelFields(value, 'kmeans');
 * const C = f.matrix('centroids', { rows: { min: 1 }, cols: { min: 1 } });
 * f.floats('counts', { length: C.rows, float64: true, min: 0 });
 * ```
 */
export class ModelFields {
  constructor(private readonly value: Record<string, unknown>, private readonly prefix: string) {}

  /**
   * Fails naming `field`, with what was received (the field's value described, or the
   * text `received`) and what was expected.
   */
  bad(field: string, expected: string, received = describe(this.value[field])): never {
    return fail('INVALID_MODEL', `${this.prefix}.${field}: received ${received}, expected ${expected}`);
  }

  /** A Matrix ({ rows, cols, data } with float data of length rows · cols), every entry finite. */
  matrix(field: string, spec: MatrixSpec = {}): Matrix {
    const v = this.value[field];
    const rows = size(spec.rows), cols = size(spec.cols);
    const want = `a ${spec.float64 ? 'float64 ' : ''}Matrix of ${sizeText(rows)} rows and ${sizeText(cols)} columns`;
    if (!isMatrix(v) || (spec.float64 && !(v.data instanceof Float64Array)) || !Number.isInteger(v.rows) || !Number.isInteger(v.cols)) this.bad(field, want);
    if (!fits(v.rows, rows)) this.bad(field, want, `a Matrix of ${v.rows} rows`);
    if (!fits(v.cols, cols)) this.bad(field, want, `a Matrix of ${v.cols} columns`);
    this.entries(field, v.data, spec.min ?? -Infinity, false);
    return v;
  }

  /** A Float64Array (or Float32Array) with every entry finite and ≥ min. */
  floats(field: string, spec: FloatSpec = {}): FloatArray {
    const v = this.value[field];
    const length = size(spec.length);
    const want = `a ${spec.float64 ? 'Float64Array' : 'Float64Array or Float32Array'} of length ${sizeText(length)}`;
    if (!(v instanceof Float64Array || (!spec.float64 && v instanceof Float32Array))) this.bad(field, want);
    if (!fits(v.length, length)) this.bad(field, want);
    this.entries(field, v, spec.min ?? -Infinity, spec.nonFinite ?? false);
    return v;
  }

  /** An Int32Array whose entries lie in [min, max]. */
  ints(field: string, spec: { length?: number | SizeSpec; min?: number; max?: number } = {}): Int32Array {
    const v = this.value[field];
    const length = size(spec.length);
    if (!(v instanceof Int32Array) || !fits(v.length, length)) this.bad(field, `an Int32Array of length ${sizeText(length)}`);
    const min = spec.min ?? -Infinity, max = spec.max ?? Infinity;
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < min || v[i]! > max) this.bad(field, `entries in [${min}, ${max}]`, `an entry ${i} of ${v[i]}`);
    }
    return v;
  }

  /** A finite number in [min, max] (an integer with `integer`). */
  number(field: string, spec: { min?: number; max?: number; integer?: boolean; finite?: boolean } = {}): number {
    const v = this.value[field];
    const min = spec.min ?? -Infinity, max = spec.max ?? Infinity;
    const ok = typeof v === 'number' && (spec.integer ? Number.isInteger(v) : spec.finite === false ? !Number.isNaN(v) : Number.isFinite(v)) && v >= min && v <= max;
    if (!ok) this.bad(field, `${spec.integer ? 'an integer' : 'a number'}${range(min, max)}`);
    return v as number;
  }

  /** true or false. */
  boolean(field: string): boolean {
    const v = this.value[field];
    if (typeof v !== 'boolean') this.bad(field, 'true or false');
    return v;
  }

  /** true or false, or absent: a field added after models were first saved ({@link withAddedField}). */
  optionalBoolean(field: string): boolean | undefined {
    return this.value[field] === undefined ? undefined : this.boolean(field);
  }

  /** One of `choices`. */
  choice<T extends string>(field: string, choices: readonly T[]): T {
    const v = this.value[field];
    if (!(choices as readonly unknown[]).includes(v)) this.bad(field, `one of ${choices.map((c) => `'${c}'`).join(', ')}`);
    return v as T;
  }

  /** A nested object, read with the same checks (`model.field.sub` in errors). */
  object(field: string): ModelFields {
    const v = this.value[field];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.bad(field, 'an object');
    return new ModelFields(v as Record<string, unknown>, `${this.prefix}.${field}`);
  }

  private entries(field: string, data: FloatArray, min: number, nonFinite: boolean): void {
    // One sum answers "all finite and ≥ min?" for the common case; the slow scan names the entry.
    let s = 0, low = Infinity;
    for (let i = 0; i < data.length; i++) {
      s += data[i]! * 0;
      if (data[i]! < low) low = data[i]!;
    }
    if ((nonFinite || s === 0) && !(low < min)) return;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if ((!nonFinite && !Number.isFinite(x)) || x < min) this.bad(field, `finite entries${min > -Infinity ? ` ≥ ${min}` : ''}`, `an entry ${i} of ${x}`);
    }
  }
}

/**
 * Checks that `value` is an object of the given kind and returns a {@link ModelFields} to
 * read and check its fields: the common body of every module's model validation, used by
 * its `load` and by every function that takes a model. `name` is the argument's name in
 * errors (`model`, or `model` of `load`).
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` for anything but an object of that kind
 *
 * @example
 * ```ts
 * checkModelFields({ kind: 'pca' }, 'kmeans'); // throws INVALID_MODEL: "model: received a model of kind 'pca', expected kind 'kmeans'"
 * ```
 */
export function checkModelFields(value: unknown, kind: string, name = 'model'): ModelFields {
  checkKind(value, kind, name);
  return new ModelFields(value as Record<string, unknown>, name);
}

function size(spec: number | SizeSpec | undefined): SizeSpec {
  return typeof spec === 'number' ? { is: spec } : spec ?? {};
}

function fits(n: number, spec: SizeSpec): boolean {
  return spec.is !== undefined ? n === spec.is : n >= (spec.min ?? 0) && n <= (spec.max ?? Infinity);
}

function sizeText(spec: SizeSpec): string {
  if (spec.is !== undefined) return String(spec.is);
  const min = spec.min ?? 0, max = spec.max ?? Infinity;
  if (max === Infinity) return min === 0 ? 'any' : `at least ${min}`;
  return `${min} to ${max}`;
}

/**
 * Checks that `model` is an object of the given kind, always with `INVALID_MODEL` (a value
 * that is not an object, or a model of another module): the first line of every function
 * that takes a model. Modules then check the fields with {@link checkModelFields}.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the argument, what it received
 *   and the kind expected
 *
 * @example
 * ```ts
 * checkModel({ kind: 'pca' }, 'kmeans'); // throws INVALID_MODEL (model: received a model of kind "pca", expected kind 'kmeans')
 * ```
 */
export function checkModel<T extends { kind: string }>(model: unknown, kind: T['kind'], name = 'model'): T {
  return checkKind<T>(model, kind, name);
}

/**
 * Freezes a model and every plain object and array inside it (typed arrays stay as they
 * are: a non-empty typed array cannot be frozen), and returns it: what every `fit` and
 * `load` hands out, so a model shared with a Worker, a cache or another module cannot be
 * changed field by field.
 *
 * @example
 * ```ts
 * const m = freezeModel({ kind: 'demo', centroids: { rows: 1, cols: 1, data: new Float64Array(1) } });
 * Object.isFrozen(m.centroids); // true
 * ```
 */
export function freezeModel<T extends object>(model: T): T {
  const seen = new Set<object>();
  const deep = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) return;
    seen.add(v);
    for (const child of Object.values(v)) deep(child);
    Object.freeze(v);
  };
  deep(model);
  return model;
}

/**
 * A model saved before `field` existed, read with `field` set to `value`: `load` keeps the
 * models of earlier versions working when a field is added. Anything else (a model that has
 * the field, a value that is not an object) comes back as it was, for the checks to judge.
 *
 * @example
 * ```ts
 * withAddedField({ kind: 'kmeans' }, 'completed', true); // { kind: 'kmeans', completed: true }
 * ```
 */
export function withAddedField(model: unknown, field: string, value: unknown): unknown {
  if (model === null || typeof model !== 'object' || Array.isArray(model) || field in model) return model;
  return { ...model, [field]: value };
}
