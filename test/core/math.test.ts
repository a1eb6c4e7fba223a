import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portableExp, portableLog } from '../../src/core/math.js';

describe('portableLog', () => {
  it('agrees with Math.log to within 2 ulp over the whole positive range (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), (x) => {
        const ref = Math.log(x);
        const ulp = Math.max(Math.abs(ref), 1e-300) * 2.22e-16;
        expect(Math.abs(portableLog(x) - ref)).toBeLessThanOrEqual(2 * ulp + 1e-300);
      }),
      { numRuns: 20000 },
    );
  });

  it('is accurate where Marsaglia’s polar method uses it, near 1 and near 0', () => {
    for (let i = 1; i < 2000; i++) {
      const x = i / 2000;
      expect(Math.abs(portableLog(x) - Math.log(x))).toBeLessThanOrEqual(4.5e-16 * Math.max(1, Math.abs(Math.log(x))));
    }
    expect(portableLog(1)).toBe(0);
    expect(Math.abs(portableLog(1 + 2 ** -52) - 2 ** -52)).toBeLessThan(1e-31);
  });

  it('handles the special values', () => {
    expect(portableLog(0)).toBe(-Infinity);
    expect(portableLog(-1)).toBeNaN();
    expect(portableLog(NaN)).toBeNaN();
    expect(portableLog(Infinity)).toBe(Infinity);
    expect(Math.abs(portableLog(5e-324) - Math.log(5e-324))).toBeLessThan(1e-12);
  });
});

describe('portableExp', () => {
  it('agrees with Math.exp to 2 ulp over the whole range', () => {
    fc.assert(fc.property(fc.double({ min: -745, max: 709, noNaN: true }), (x) => {
      const e = Math.exp(x);
      expect(Math.abs(portableExp(x) - e)).toBeLessThanOrEqual(4.5e-16 * e + Number.MIN_VALUE);
    }), { numRuns: 2000 });
    for (let x = -745; x <= 709; x += 0.7310001) {
      const e = Math.exp(x);
      expect(Math.abs(portableExp(x) - e)).toBeLessThanOrEqual(4.5e-16 * e + Number.MIN_VALUE);
    }
  });
  it('is exact at 0 and saturates at the edges', () => {
    expect(portableExp(0)).toBe(1);
    expect(portableExp(-800)).toBe(0);
    expect(portableExp(710)).toBe(Infinity);
    expect(portableExp(NaN)).toBeNaN();
  });
});
