// The shared helpers every module's model and options code uses (issue #20 part 2):
// checkModel, freezeModel (core/model.ts), checkSignal, checkCallback (core/options.ts).
import { describe, expect, it } from 'vitest';
import { checkModel, freezeModel } from '../../src/core/model.js';
import { checkCallback, checkSignal } from '../../src/core/options.js';
import { codeOf } from './checks.js';

describe('checkModel', () => {
  it('returns a model of the kind, and refuses anything else with INVALID_MODEL', () => {
    const m = { kind: 'pca', x: 1 };
    expect(checkModel(m, 'pca')).toBe(m);
    for (const bad of [null, undefined, 42, 'pca', [m], {}, { kind: 'kmeans' }, { kind: 7 }]) {
      expect(codeOf(() => checkModel(bad, 'pca')), String(bad)).toBe('INVALID_MODEL');
    }
  });

  it('names the argument and the kinds', () => {
    expect(() => checkModel({ kind: 'som' }, 'kmeans', 'centres')).toThrow(`centres: received a model of kind "som", expected kind 'kmeans'`);
  });
});

describe('freezeModel', () => {
  it('freezes the model and every object and array in it, leaving typed arrays as they are', () => {
    const data = new Float64Array([1, 2]);
    const m = freezeModel({ kind: 'demo', w: { rows: 1, cols: 2, data }, layers: [{ b: { rows: 1, cols: 1, data: new Float32Array(1) } }], n: 3 });
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.w)).toBe(true);
    expect(Object.isFrozen(m.layers)).toBe(true);
    expect(Object.isFrozen(m.layers[0]!.b)).toBe(true);
    expect(m.w.data).toBe(data);
    data[0] = 5; // a typed array stays writable (it cannot be frozen) and is not copied
    expect(m.w.data[0]).toBe(5);
  });

  it('also reaches inside objects that are already frozen, and survives shared references', () => {
    const inner = { a: { rows: 1, cols: 1, data: new Float64Array(1) } };
    const shared = { v: 1 };
    const m = freezeModel({ kind: 'demo', outer: Object.freeze(inner), x: shared, y: shared });
    expect(Object.isFrozen(m.outer.a)).toBe(true);
    expect(Object.isFrozen(shared)).toBe(true);
  });
});

describe('checkSignal and checkCallback', () => {
  it('accept undefined, an AbortSignal and a function; refuse the rest with INVALID_OPTION', () => {
    const signal = new AbortController().signal;
    expect(checkSignal(undefined)).toBeUndefined();
    expect(checkSignal(signal)).toBe(signal);
    expect(checkSignal({ aborted: false })).toEqual({ aborted: false }); // another realm's or a polyfill's
    for (const bad of [null, 42, {}, { aborted: 'no' }]) expect(codeOf(() => checkSignal(bad)), String(bad)).toBe('INVALID_OPTION');
    const f = () => true;
    expect(checkCallback(undefined, 'onProgress')).toBeUndefined();
    expect(checkCallback(f, 'onProgress')).toBe(f);
    for (const bad of [null, 42, 'stop', {}]) expect(codeOf(() => checkCallback(bad, 'onProgress')), String(bad)).toBe('INVALID_OPTION');
    expect(() => checkSignal(42, 'train: signal')).toThrow(/^train: signal: received 42, expected an AbortSignal/);
  });
});
