// The one contract (DESIGN.md, "One contract"; issue #20 part 1): every check below runs on
// every descriptor of descriptors.ts that has what the check needs (a `steps` generator, a
// model, a seed…). A check is a function of a descriptor; contract.test.ts registers each
// one with `it`, `it.fails` (a known drift, with the follow-up that fixes it) or `it.skip`.
import { expect } from 'vitest';
import { drive } from '../../src/core/iterate.js';
import { toJSON } from '../../src/core/json.js';
import { LatentSpaceError } from '../../src/core/errors.js';
import { onBothBackends } from '../helpers/backends.js';
import { errorOf } from '../helpers/errors.js';

/** Small training data, always a fresh copy (checks mutate nothing, but compare against it). */
export type Rows = number[][];

/** A function that takes a model, called with good other arguments (`X` a few rows of training data). */
export interface Use {
  readonly name: string;
  readonly call: (model: unknown, X: Rows) => unknown;
  /** Whether it reads samples from X (so NaN or empty X must be refused). @defaultValue true */
  readonly readsX?: boolean;
}

/** What a model-making descriptor adds: its `load`, where its main matrix lives, and its uses. */
export interface ModelSpec {
  /** The module's `load(json | object)`. */
  readonly load: (json: string | object) => unknown;
  /** Path from the model to its main Matrix (`['centroids']`, `['weights', 'mean', 'weight']`). */
  readonly matrix: readonly string[];
  /** Every function that takes the model. */
  readonly uses: readonly Use[];
  /**
   * Fields added after models were first saved: a model without one still loads (load fills
   * it in), so removing it is not a tampering. Their types are still checked when present.
   */
  readonly addedLater?: readonly string[];
}

/** How the result of a run says it was stopped early, as the module spells it today. */
export interface StopFlag {
  readonly field: string;
  /** The field's value in a stopped run. */
  readonly stopped: boolean;
}

/**
 * One public estimator or iterative function. `fit`/`fitAsync`/`steps` take the data (an
 * adapter maps the rows to the function's own input, e.g. a dataset or `init`) and options.
 */
export interface Descriptor {
  readonly name: string;
  /** Fresh small training data (rows × features). */
  readonly data: () => Rows;
  /** Options of a quick valid run, `seed` included where chance enters. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly fit: (X: unknown, options?: Record<string, unknown>) => unknown;
  readonly fitAsync?: (X: unknown, options?: Record<string, unknown>) => Promise<unknown>;
  readonly steps?: (X: unknown, options?: Record<string, unknown>) => Generator<unknown, unknown, boolean | undefined>;
  /** Set for long runs (those with `steps`): how a stopped result is marked today. */
  readonly flag?: StopFlag;
  /** Set when the result is (or holds) a model. */
  readonly model?: ModelSpec;
  /** The arrays float32 input must give, and their promised element type. */
  readonly float32?: { readonly arrays: (result: unknown) => readonly ArrayBufferView[]; readonly type: 'float32' | 'float64' };
  /** Whether chance enters (the same seed must give the same bits). @defaultValue true */
  readonly seeded?: boolean;
  /** Checks known to fail, by check id, with the follow-up that fixes them: registered as `it.fails`. */
  readonly fails?: Partial<Record<CheckId, string>>;
  /** Checks that do not apply or cannot run, by id, with the reason: registered as `it.skip`. */
  readonly skips?: Partial<Record<CheckId, string>>;
}

/** The flag name every long run should use for "ran to its end" (proposed in issue #20). */
export const STOP_FLAG = 'completed';

// --- helpers -------------------------------------------------------------------------------

/** The code of the LatentSpaceError `f` throws; fails the test on any other outcome. */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!(e instanceof LatentSpaceError)) throw new Error(`expected a LatentSpaceError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return e.code;
  }
  throw new Error('expected a LatentSpaceError, but the call returned');
}

/** The LatentSpaceError a promise rejects with (or `f` throws synchronously). */
export async function asyncErrorOf(f: () => Promise<unknown>): Promise<LatentSpaceError> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof LatentSpaceError)) throw new Error(`expected a LatentSpaceError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return e;
  }
  throw new Error('expected a LatentSpaceError, but the promise resolved');
}

export { errorOf };

/**
 * Where a and b differ bit for bit (typed arrays byte by byte, numbers by Object.is, so -0
 * and NaN count), or undefined when they are the same. Functions count as equal.
 */
export function bitDifference(a: unknown, b: unknown, path = 'result'): string | undefined {
  if (typeof a === 'function' && typeof b === 'function') return undefined;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return `${path}: different types`;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (x.length !== y.length) return `${path}: lengths ${x.length} and ${y.length} bytes`;
    for (let i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) {
        const size = (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT, e = Math.floor(i / size);
        return `${path}[${e}]: ${(a as unknown as number[])[e]} vs ${(b as unknown as number[])[e]}`;
      }
    }
    return undefined;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = bitDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

export function expectSameBits(a: unknown, b: unknown): void {
  expect(bitDifference(a, b)).toBeUndefined();
}

/** Every plain object and array reachable from `value` that is not frozen (typed arrays excepted). */
export function unfrozen(value: unknown, path = 'model'): string[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return own.concat(...Object.entries(value).map(([k, v]) => unfrozen(v, `${path}.${k}`)));
}

/** A deep, unfrozen copy of a model with `change` applied to it. */
export function tampered(model: unknown, change: (copy: Record<string, unknown>) => void): Record<string, unknown> {
  const copy = structuredClone(model) as Record<string, unknown>;
  change(copy);
  return copy;
}

/** The object holding the main matrix, and the matrix, in a copy. */
function matrixIn(copy: Record<string, unknown>, path: readonly string[]): { rows: number; cols: number; data: Float64Array | Float32Array } {
  let v: unknown = copy;
  for (const key of path) v = (v as Record<string, unknown>)[key];
  return v as { rows: number; cols: number; data: Float64Array | Float32Array };
}

/** The model in a result (the result itself for estimators). */
export function modelOf(d: Descriptor, X: Rows = d.data()): unknown {
  return d.fit(X, { ...d.options });
}

/** The tampered versions of a model every `load` and use must refuse with INVALID_MODEL. */
export function tamperings(d: Descriptor, model: unknown): [string, unknown][] {
  const spec = d.model!;
  const out: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['an array', [model]],
    ['a model of another kind', tampered(model, (m) => { m.kind = m.kind === 'pca' ? 'kmeans' : 'pca'; })],
  ];
  for (const key of Object.keys(model as object)) {
    if (spec.addedLater?.includes(key)) continue;
    out.push([`without ${key}`, tampered(model, (m) => { delete m[key]; })]);
  }
  const where = spec.matrix.join('.');
  out.push(
    [`${where}.data one entry short`, tampered(model, (m) => { const M = matrixIn(m, spec.matrix); M.data = M.data.subarray(0, M.data.length - 1); })],
    [`NaN in ${where}`, tampered(model, (m) => { matrixIn(m, spec.matrix).data[0] = NaN; })],
    [`Infinity in ${where}`, tampered(model, (m) => { const M = matrixIn(m, spec.matrix); M.data[M.data.length - 1] = Infinity; })],
    [`${where}.rows = 1e9`, tampered(model, (m) => { matrixIn(m, spec.matrix).rows = 1e9; })],
    [`${where}.cols = 1e9`, tampered(model, (m) => { matrixIn(m, spec.matrix).cols = 1e9; })],
    [`${where}.data a plain array`, tampered(model, (m) => { const M = matrixIn(m, spec.matrix); (M as { data: unknown }).data = Array.from(M.data); })],
  );
  return out;
}

/** The training rows with one entry replaced. */
export function withEntry(X: Rows, value: number): Rows {
  const Y = X.map((r) => r.slice());
  Y[0]![1] = value;
  return Y;
}

/** The step generator of a descriptor run to its end, by hand. */
function runSteps(d: Descriptor, options: Record<string, unknown>): unknown {
  const it = d.steps!(d.data(), options);
  let r = it.next();
  while (!r.done) r = it.next();
  return r.value;
}

const flagOf = (result: unknown, field: string): unknown => (result as Record<string, unknown>)[field];

// --- the checks ------------------------------------------------------------------------------

/** One check: whether it applies to a descriptor, and its body. */
export interface Check {
  readonly title: string;
  readonly applies: (d: Descriptor) => boolean;
  readonly run: (d: Descriptor) => void | Promise<void>;
}

const hasSteps = (d: Descriptor) => d.steps !== undefined;
const hasModel = (d: Descriptor) => d.model !== undefined;
const always = () => true;

export const CHECKS = {
  unknownOption: {
    title: 'an unknown option is INVALID_OPTION with a suggestion',
    applies: always,
    run: async (d) => {
      const known = Object.keys(d.options)[0]!;
      const typo = `${known}x`;
      const bad = { ...d.options, [typo]: 1 };
      const e = errorOf(() => d.fit(d.data(), bad));
      expect(e.code).toBe('INVALID_OPTION');
      expect(e.message).toContain(`did you mean '${known}'`);
      if (d.steps) expect(codeOf(() => d.steps!(d.data(), bad))).toBe('INVALID_OPTION');
      if (d.fitAsync) expect((await asyncErrorOf(() => d.fitAsync!(d.data(), bad))).code).toBe('INVALID_OPTION');
      expect(codeOf(() => d.fit(d.data(), 42 as never))).toBe('INVALID_OPTION');
    },
  },
  badCallbacks: {
    title: 'a bad onProgress or signal is INVALID_OPTION',
    applies: hasSteps,
    run: async (d) => {
      for (const [key, value] of [['onProgress', 42], ['onProgress', 'stop'], ['signal', 42], ['signal', null], ['signal', {}]] as const) {
        const bad = { ...d.options, [key]: value };
        expect(codeOf(() => d.fit(d.data(), bad)), `${key}: ${String(value)}`).toBe('INVALID_OPTION');
        if (d.fitAsync) expect((await asyncErrorOf(() => d.fitAsync!(d.data(), bad))).code).toBe('INVALID_OPTION');
        if (key === 'signal') expect(codeOf(() => d.steps!(d.data(), bad))).toBe('INVALID_OPTION');
      }
    },
  },
  nonFinite: {
    title: 'NaN or ±Infinity in the input is NON_FINITE (fit, steps, and every use of the model)',
    applies: always,
    run: (d) => {
      const model = d.model ? modelOf(d) : undefined;
      for (const v of [NaN, Infinity, -Infinity]) {
        const X = withEntry(d.data(), v);
        expect(codeOf(() => d.fit(X, { ...d.options })), `fit with ${v}`).toBe('NON_FINITE');
        if (d.steps) expect(codeOf(() => d.steps!(X, { ...d.options })), `steps with ${v}`).toBe('NON_FINITE');
        for (const use of d.model?.uses ?? []) {
          if (use.readsX === false) continue;
          expect(codeOf(() => use.call(model, X)), `${use.name} with ${v}`).toBe('NON_FINITE');
        }
      }
    },
  },
  empty: {
    title: 'empty input is EMPTY_INPUT (fit, steps, and every use of the model)',
    applies: always,
    run: (d) => {
      const model = d.model ? modelOf(d) : undefined;
      expect(codeOf(() => d.fit([], { ...d.options }))).toBe('EMPTY_INPUT');
      if (d.steps) expect(codeOf(() => d.steps!([], { ...d.options }))).toBe('EMPTY_INPUT');
      for (const use of d.model?.uses ?? []) {
        if (use.readsX === false) continue;
        expect(codeOf(() => use.call(model, [])), use.name).toBe('EMPTY_INPUT');
      }
    },
  },
  invalidModel: {
    title: 'a wrong or tampered model is INVALID_MODEL in load and in every use',
    applies: hasModel,
    run: (d) => {
      const model = modelOf(d);
      const X = d.data().slice(0, 3);
      for (const [what, bad] of tamperings(d, model)) {
        expect(codeOf(() => d.model!.load(bad as object)), `load: ${what}`).toBe('INVALID_MODEL');
        if (bad !== null && typeof bad === 'object') expect(codeOf(() => d.model!.load(toJSON(bad))), `load(toJSON): ${what}`).toBe('INVALID_MODEL');
        for (const use of d.model!.uses) expect(codeOf(() => use.call(bad, X)), `${use.name}: ${what}`).toBe('INVALID_MODEL');
      }
    },
  },
  eagerSteps: {
    title: 'steps() validates everything before the first next()',
    applies: hasSteps,
    run: (d) => {
      const known = Object.keys(d.options)[0]!;
      expect(codeOf(() => d.steps!(d.data(), { ...d.options, [`${known}x`]: 1 }))).toBe('INVALID_OPTION');
      expect(codeOf(() => d.steps!(d.data(), { ...d.options, signal: 42 }))).toBe('INVALID_OPTION');
      expect(codeOf(() => d.steps!(withEntry(d.data(), NaN), { ...d.options }))).toBe('NON_FINITE');
      expect(codeOf(() => d.steps!([], { ...d.options }))).toBe('EMPTY_INPUT');
    },
  },
  fitIsDrive: {
    title: 'fit equals drive(steps) and running the steps by hand, bit for bit',
    applies: hasSteps,
    run: (d) => {
      const fitted = d.fit(d.data(), { ...d.options });
      expectSameBits(drive(d.steps!(d.data(), { ...d.options }), () => 0), fitted);
      expectSameBits(runSteps(d, { ...d.options }), fitted);
    },
  },
  asyncIsFit: {
    title: 'fitAsync equals fit, bit for bit',
    applies: (d) => d.fitAsync !== undefined,
    run: async (d) => {
      expectSameBits(await d.fitAsync!(d.data(), { ...d.options }), d.fit(d.data(), { ...d.options }));
    },
  },
  stopMarked: {
    title: 'next(true) stops at once, and the result says so (as the module spells it today)',
    applies: (d) => hasSteps(d) && d.flag !== undefined,
    run: (d) => {
      const { field, stopped } = d.flag!;
      const it = d.steps!(d.data(), { ...d.options });
      expect(it.next().done).toBe(false);
      const r = it.next(true);
      expect(r.done).toBe(true);
      expect(flagOf(r.value, field)).toBe(stopped);
      // onProgress returning true stops the same way, after its first call.
      let calls = 0;
      const viaCallback = d.fit(d.data(), { ...d.options, onProgress: () => { calls++; return true; } });
      expect(calls).toBe(1);
      expect(flagOf(viaCallback, field)).toBe(stopped);
    },
  },
  oneFlagName: {
    title: `a stopped run is marked under the one flag name, ${STOP_FLAG}: false (true when it ran to its end, a stop at the last step included)`,
    applies: hasSteps,
    run: (d) => {
      expect(flagOf(d.fit(d.data(), { ...d.options }), STOP_FLAG)).toBe(true);
      const it = d.steps!(d.data(), { ...d.options });
      it.next();
      expect(flagOf(it.next(true).value, STOP_FLAG)).toBe(false);
      // A stop asked for at the very last step changes nothing: the run has completed.
      let steps = 0, seen = 0;
      d.fit(d.data(), { ...d.options, onProgress: () => { steps++; } });
      expect(flagOf(d.fit(d.data(), { ...d.options, onProgress: () => ++seen === steps }), STOP_FLAG)).toBe(true);
    },
  },
  abort: {
    title: 'an aborted signal stops within one iteration (already aborted: none at all)',
    applies: hasSteps,
    run: async (d) => {
      const flag = d.flag!;
      const controller = new AbortController();
      const it = d.steps!(d.data(), { ...d.options, signal: controller.signal });
      expect(it.next().done).toBe(false);
      controller.abort();
      const r = it.next();
      expect(r.done).toBe(true);
      expect(flagOf(r.value, flag.field)).toBe(flag.stopped);

      let calls = 0;
      const aborted = AbortSignal.abort();
      const early = d.fit(d.data(), { ...d.options, signal: aborted, onProgress: () => { calls++; } });
      expect(calls).toBe(0);
      expect(flagOf(early, flag.field)).toBe(flag.stopped);

      if (d.fitAsync) {
        const c = new AbortController();
        let seen = 0;
        const result = await d.fitAsync(d.data(), { ...d.options, signal: c.signal, onProgress: () => { seen++; c.abort(); } });
        expect(seen).toBe(1);
        expect(flagOf(result, flag.field)).toBe(flag.stopped);
      }
    },
  },
  frozen: {
    title: 'the model is frozen, every object in it',
    applies: hasModel,
    run: (d) => {
      const model = modelOf(d);
      expect(unfrozen(model)).toEqual([]);
      expect(unfrozen(d.model!.load(toJSON(model)))).toEqual([]);
    },
  },
  roundTrip: {
    title: 'load(toJSON(model)) and load(structuredClone(model)) round-trip bit for bit',
    applies: hasModel,
    run: (d) => {
      const model = modelOf(d);
      expectSameBits(d.model!.load(toJSON(model)), model);
      expectSameBits(d.model!.load(structuredClone(model) as object), model);
      // A loaded model works in every use as the fitted one does.
      const X = d.data().slice(0, 3);
      for (const use of d.model!.uses) expectSameBits(use.call(d.model!.load(toJSON(model)), X), use.call(model, X));
    },
  },
  float32: {
    title: 'float32 input gives the element type the docs promise',
    applies: (d) => d.float32 !== undefined,
    run: (d) => {
      const X = d.data();
      const f32 = { rows: X.length, cols: X[0]!.length, data: Float32Array.from(X.flat()) };
      const arrays = d.float32!.arrays(d.fit(f32, { ...d.options }));
      expect(arrays.length).toBeGreaterThan(0);
      const Type = d.float32!.type === 'float32' ? Float32Array : Float64Array;
      for (const a of arrays) expect(a).toBeInstanceOf(Type);
    },
  },
  callerUnchanged: {
    title: "the caller's arrays are unchanged (fit, steps, every use; the model too)",
    applies: always,
    run: (d) => {
      const X = d.data();
      const before = structuredClone(X);
      const flat = { rows: X.length, cols: X[0]!.length, data: Float64Array.from(X.flat()) };
      const flatBefore = flat.data.slice();
      const result = d.fit(X, { ...d.options });
      d.fit(flat, { ...d.options });
      if (d.steps) runSteps(d, { ...d.options });
      expect(X).toEqual(before);
      expectSameBits(flat.data, flatBefore);
      if (d.model) {
        const snapshot = toJSON(result);
        const Y = d.data().slice(0, 3), Ybefore = structuredClone(Y);
        for (const use of d.model.uses) use.call(result, Y);
        expect(Y).toEqual(Ybefore);
        expect(toJSON(result)).toBe(snapshot);
      }
    },
  },
  sameSeed: {
    title: 'the same seed gives the same bits, twice and on both backends',
    applies: (d) => d.seeded !== false,
    run: (d) => {
      expectSameBits(d.fit(d.data(), { ...d.options }), d.fit(d.data(), { ...d.options }));
      const [js, wasm] = onBothBackends(() => d.fit(d.data(), { ...d.options }));
      expectSameBits(wasm, js);
    },
  },
  sameSeedFloat32: {
    title: 'float32 input: the same seed gives the same bits on both backends',
    applies: (d) => d.seeded !== false && d.float32 !== undefined,
    run: (d) => {
      const X = d.data();
      const f32 = () => ({ rows: X.length, cols: X[0]!.length, data: Float32Array.from(X.flat()) });
      const [js, wasm] = onBothBackends(() => d.fit(f32(), { ...d.options }));
      expectSameBits(wasm, js);
    },
  },
} satisfies Record<string, Check>;

export type CheckId = keyof typeof CHECKS;
