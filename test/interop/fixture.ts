import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fromJSON } from '../../src/core/json.js';
import type { FloatArray, Matrix } from '../../src/core/matrix.js';

/** One scikit-learn export (scripts/sklearn_export.py's to_latentspace), parsed by fromJSON. */
export interface Export {
  kind: 'sklearn';
  format: number;
  estimator: string;
  sklearn_version: string;
  params: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

/** scikit-learn's outputs on the 32 evaluation digits. */
export interface Outputs {
  transform: Matrix;
  inverseTransform?: Matrix;
  score: number;
  scoreSamples?: FloatArray;
  scoreSklearnWhitened?: number;
  predict?: Int32Array;
}

export interface Case {
  name: string;
  float32: boolean;
  export: Export;
  outputs: Outputs;
}

export interface DictionaryCase {
  name: string;
  export: Export;
  norms: Float64Array;
  transform?: Matrix;
  codes?: Matrix;
  nNonzero?: number;
}

export interface ReverseCase {
  model: string;
  estimator: string;
  dtype: 'float32' | 'float64';
  outputs: Outputs;
  exportedAgain: Export;
}

/** test/fixtures/interop/sklearn.json (see make_fixtures.py there). */
export interface Fixture {
  sklearn: string;
  trainRows: number;
  /** The 32 evaluation digits, values 0..16. */
  X: { rows: number; cols: number; data: Uint8Array };
  cases: Case[];
  dictionaries: DictionaryCase[];
  reverse: ReverseCase[];
}

/** The text of a file of test/fixtures/interop. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url), 'utf8');
}

export const fixture = fromJSON(fixtureText('sklearn.json')) as Fixture;

/** Our models, fitted by export-models.ts and saved with toJSON. */
export const ourModels = (fromJSON(fixtureText('latentspace-models.json')) as { models: Record<string, object> }).models;

/** The 32 evaluation digits, (32 × 64), in the given dtype. */
export function evaluation(float32: boolean): Matrix {
  const { rows, cols, data } = fixture.X;
  return { rows, cols, data: float32 ? Float32Array.from(data) : Float64Array.from(data) };
}

/** The case of that name. */
export function caseNamed<T extends { name: string }>(cases: readonly T[], name: string): T {
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture case ${name}`);
  return found;
}

/** A deep copy of an export (typed arrays copied), to break in one place. */
export function copyOf(e: Export): Export {
  return structuredClone(e);
}

function dataOf(a: Matrix | FloatArray): FloatArray {
  return ArrayBuffer.isView(a) ? a : a.data;
}

/**
 * Relative agreement, normwise: max |actual − expected| ≤ tol · max |expected| (entries
 * near 0, as every output has, make an entrywise relative error meaningless). Shapes and
 * dtypes must match.
 */
export function expectClose(actual: Matrix | FloatArray, expected: Matrix | FloatArray, tol: number): number {
  const a = dataOf(actual), e = dataOf(expected);
  if (!ArrayBuffer.isView(actual) && !ArrayBuffer.isView(expected)) {
    expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.cols]);
  }
  expect(a.length).toBe(e.length);
  expect(a.constructor.name).toBe(e.constructor.name);
  let diff = 0, scale = 0;
  for (let i = 0; i < e.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - e[i]!));
    scale = Math.max(scale, Math.abs(e[i]!));
  }
  expect(diff).toBeLessThanOrEqual(tol * scale);
  return diff / scale;
}

/** |actual − expected| ≤ tol · |expected|. */
export function expectRelative(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

/** Same type and the same bits, entry by entry. */
export function expectSameBits(actual: ArrayBufferView, expected: ArrayBufferView): void {
  expect(actual.constructor.name).toBe(expected.constructor.name);
  expect(new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength))
    .toEqual(new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength));
}
