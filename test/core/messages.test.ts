// Numbers in error messages: computed ones rounded to about 5 significant digits (never to
// something that looks like an integer when they are not), integers (sizes, indices) exact.
import { describe, expect, it } from 'vitest';
import { LatentSpaceError, asMatrix } from '../../src/core/index.js';
import { describe as describeValue, formatNumber } from '../../src/core/errors.js';
import { checkInt, checkNumber } from '../../src/core/options.js';
import * as tsne from '../../src/tsne/index.js';

function messageOf(f: () => unknown): string {
  try { f(); } catch (e) {
    expect(e).toBeInstanceOf(LatentSpaceError);
    return (e as LatentSpaceError).message;
  }
  throw new Error('expected a LatentSpaceError');
}

describe('formatNumber', () => {
  it('rounds computed values to 5 significant digits and keeps integers exact', () => {
    expect(formatNumber(499 / 3)).toBe('166.33');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-2 / 3)).toBe('-0.66667');
    expect(formatNumber(123456789)).toBe('123456789');
    expect(formatNumber(2 ** 53 + 2)).toBe('9007199254740994');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
  });

  it('never shows a non-integer as an integer', () => {
    expect(formatNumber(2.0000001)).toBe('2.0000001');
    expect(formatNumber(12345.678)).toBe('12345.7');
    expect(formatNumber(99999.5)).toBe('99999.5');
  });

  it('uses exponent form for tiny and huge magnitudes, and names the non-finite', () => {
    expect(formatNumber(1 / 3e9)).toBe('3.3333e-10');
    expect(formatNumber(1.5e-5)).toBe('1.5e-5');
    expect(formatNumber(Number.MAX_VALUE)).toBe('1.7977e308');
    expect(formatNumber(1e25)).toBe('1e25');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
  });

  it('is what describe shows for numbers', () => {
    expect(describeValue(499 / 3)).toBe('166.33');
    expect(describeValue(7)).toBe('7');
  });
});

describe('messages', () => {
  it('round a computed limit: t-SNE perplexity against (n − 1) / 3', () => {
    const X = Array.from({ length: 500 }, (_, i) => [i % 7, Math.floor(i / 7)]);
    const message = messageOf(() => tsne.fit(X, { perplexity: 200 }));
    expect(message).toContain('(n − 1) / 3 = 166.33;');
    expect(message).toContain('for 500 points');
    expect(message).not.toContain('166.333');
  });

  it('round the bounds of a range, and keep received integers exact', () => {
    expect(messageOf(() => checkNumber(2, 'alpha', 0, 1 / 3))).toBe('alpha: received 2, expected a finite number in [0, 0.33333]');
    expect(messageOf(() => checkInt(123456789, 'k', 1, 99999))).toBe('k: received 123456789, expected an integer in [1, 99999]');
    expect(messageOf(() => checkInt(2.5, 'k', 1))).toBe('k: received 2.5, expected an integer ≥ 1');
  });

  it('keep sizes exact', () => {
    expect(messageOf(() => asMatrix(new Float64Array(5), { rows: 100003, cols: 7 })))
      .toBe('X: data has 5 values, expected rows × cols = 100003 × 7 = 700021');
  });
});
