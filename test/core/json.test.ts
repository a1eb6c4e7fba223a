import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromJSON, toJSON } from '../../src/core/index.js';
import { base64ToBytes, bytesToBase64, checkKind } from '../../src/core/json.js';
import { codeOf } from '../helpers/errors.js';

function sameBits(a: Float64Array | Float32Array, b: unknown): void {
  expect(b).toBeInstanceOf(a.constructor);
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array((b as typeof a).buffer, (b as typeof a).byteOffset, (b as typeof a).byteLength);
  expect(Array.from(y)).toEqual(Array.from(x));
}

describe('toJSON / fromJSON', () => {
  it('round-trips -0, subnormals, NaN and the element type exactly', () => {
    const model = {
      kind: 'demo',
      f64: new Float64Array([-0, 5e-324, Number.MIN_VALUE * 3, NaN, Infinity, 1 / 3]),
      f32: new Float32Array([-0, 1e-45, 0.1]),
      labels: new Int32Array([-1, 2 ** 31 - 1]),
      nested: { rows: 2, weights: [new Float64Array([2.5])] },
    };
    const back = fromJSON(toJSON(model)) as typeof model;
    sameBits(model.f64, back.f64);
    sameBits(model.f32, back.f32);
    expect(Object.is(back.f64[0], -0)).toBe(true);
    expect(Array.from(back.labels)).toEqual([-1, 2 ** 31 - 1]);
    expect(back.nested.rows).toBe(2);
    sameBits(model.nested.weights[0]!, back.nested.weights[0]);
  });

  it('round-trips any float64 array bit for bit (property)', () => {
    fc.assert(
      fc.property(fc.float64Array(), (a) => {
        sameBits(a, (fromJSON(toJSON({ a })) as { a: Float64Array }).a);
      }),
    );
  });

  it('encodes base64 like the standard alphabet (checked against Buffer)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 50 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes));
      }),
    );
  });

  it('checkKind accepts the right kind and rejects others and malformed JSON', () => {
    expect(checkKind({ kind: 'pca' }, 'pca').kind).toBe('pca');
    expect(() => checkKind({ kind: 'som' }, 'pca')).toThrow(/expected kind 'pca'/);
    expect(codeOf(() => fromJSON('{bad'))).toBe('INVALID_MODEL');
    expect(() => fromJSON('{bad')).toThrow(/^json: not valid JSON/);
    expect(codeOf(() => fromJSON('{"a":{"$typed":"Foo","base64":""}}'))).toBe('INVALID_MODEL');
  });
});
