// A small mixed-radix complex FFT (any length whose prime factors are 2, 3 and 5) on split
// real/imaginary Float64Arrays: the recursive decimation in time of KISS FFT, unrolled into
// a precomputed input permutation and in-place butterfly stages. `columns` transforms many
// columns of a row-major grid at once, whole rows at a time, so that the inner loops run
// along memory (the 2-D FFTs of the FFT-accelerated t-SNE).

/** One butterfly stage: radix p over blocks of p·m entries, twiddle stride `stride`. */
interface Stage {
  readonly p: number;
  readonly m: number;
  readonly stride: number;
}

const SIN60 = Math.sqrt(3) / 2;
/** Columns transformed together by {@link FftPlan.columnsOf}. */
const CHUNK = 32;

/** cos x and sin x for |x| ≤ π/4 by their Taylor series (only +, −, ×: the same bits in every engine). */
function cosSinSmall(x: number): [number, number] {
  const x2 = x * x;
  let c = 1 / 20922789888000, s = 1 / 355687428096000; // 1/16!, 1/17!
  for (let k = 14; k >= 2; k -= 2) {
    c = 1 / factorial(k) - x2 * c;
    s = 1 / factorial(k + 1) - x2 * s;
  }
  return [1 - x2 * c, x * (1 - x2 * s)];
}

const FACTORIALS = [1];
for (let k = 1; k <= 17; k++) FACTORIALS.push(FACTORIALS[k - 1]! * k);
function factorial(k: number): number {
  return FACTORIALS[k]!;
}

/**
 * cos(2πk/n) and sin(2πk/n), identical in every JavaScript engine (Math.cos and Math.sin
 * may differ in the last bit between engines, and the browser test compares them): k is
 * reduced exactly to the first octant with integer arithmetic, then the series above.
 *
 * @example
 * ```ts
 * unitRoot(1, 4); // [0, 1]: e^{iπ/2}
 * ```
 */
export function unitRoot(k: number, n: number): [number, number] {
  k %= n;
  // Quadrant q and the remainder r with 2πk/n = q·π/2 + 2πr/n, 0 ≤ r < n/4 (in units of 1/(4n)).
  const k4 = 4 * k;
  const q = Math.floor(k4 / n);
  const r4 = k4 - q * n; // angle = q·π/2 + (π/2)·r4/n
  let c: number, s: number;
  if (2 * r4 <= n) {
    [c, s] = cosSinSmall((Math.PI / 2) * (r4 / n));
  } else {
    const [c2, s2] = cosSinSmall((Math.PI / 2) * ((n - r4) / n));
    c = s2;
    s = c2;
  }
  switch (q) {
    case 0: return [c, s];
    case 1: return [-s, c];
    case 2: return [-c, -s];
    default: return [s, -c];
  }
}

/**
 * A plan for complex FFTs of one length: the digit-reversal permutation, the stages and
 * the twiddle factors, computed once and reused.
 *
 * @example
 * ```ts
 * const fft = new FftPlan(6);
 * const re = new Float64Array([1, 0, 0, 0, 0, 0]), im = new Float64Array(6);
 * fft.transform(re, im, 0, 1, false); // re = [1, 1, 1, 1, 1, 1]
 * ```
 */
export class FftPlan {
  readonly n: number;
  private readonly perm: Int32Array;
  /** Stages, deepest first. */
  private readonly stages: readonly Stage[];
  private readonly cosT: Float64Array;
  private readonly sinT: Float64Array;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;
  private wideRe = new Float64Array(0);
  private wideIm = new Float64Array(0);

  constructor(n: number) {
    this.n = n;
    const factors: number[] = [];
    let rest = n;
    for (const p of [4, 2, 3, 5]) {
      while (rest % p === 0) {
        factors.push(p);
        rest /= p;
      }
    }
    if (rest !== 1) throw new RangeError(`FftPlan: length ${n} has a prime factor above 5`);
    this.cosT = new Float64Array(n);
    this.sinT = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const [c, si] = unitRoot(k, n);
      this.cosT[k] = c;
      this.sinT[k] = -si;
    }
    const perm = new Int32Array(n);
    const build = (outOff: number, inOff: number, stride: number, level: number): void => {
      const p = factors[level]!;
      const m = n / (stride * p);
      if (m === 1) {
        for (let k = 0; k < p; k++) perm[outOff + k] = inOff + k * stride;
        return;
      }
      for (let q = 0; q < p; q++) build(outOff + q * m, inOff + q * stride, stride * p, level + 1);
    };
    if (n > 1) build(0, 0, 1, 0);
    this.perm = perm;
    let stride = 1;
    const levels: Stage[] = [];
    for (const p of factors) {
      levels.push({ p, m: n / (stride * p), stride });
      stride *= p;
    }
    this.stages = levels.reverse();
    this.bufRe = new Float64Array(n);
    this.bufIm = new Float64Array(n);
  }

  /**
   * In-place transform of the n complex values (re[off + k·step], im[off + k·step]):
   * X_k = Σ_j x_j e^{∓2πi jk/n} (− forward, + with `inverse`, which does not divide by n).
   */
  transform(re: Float64Array, im: Float64Array, off: number, step: number, inverse: boolean): void {
    this.columns(re, im, off, step, 1, inverse, this.bufRe, this.bufIm, this.n);
  }

  /**
   * In-place transforms of `count` columns of a grid: column c holds the n values
   * (re[off + c + k·ld], im[…]). Whole rows move and combine together.
   */
  columnsOf(re: Float64Array, im: Float64Array, off: number, ld: number, count: number, inverse: boolean, nonZero = this.n): void {
    // Chunks of CHUNK columns keep the working set (n × CHUNK complex values) in cache.
    const size = this.n * Math.min(count, CHUNK);
    if (this.wideRe.length < size) {
      this.wideRe = new Float64Array(size);
      this.wideIm = new Float64Array(size);
    }
    for (let c0 = 0; c0 < count; c0 += CHUNK) {
      this.columns(re, im, off + c0, ld, Math.min(CHUNK, count - c0), inverse, this.wideRe, this.wideIm, nonZero);
    }
  }

  /** The transforms; input rows at or beyond `nonZero` are taken as zero without being read. */
  private columns(
    re: Float64Array, im: Float64Array, off: number, ld: number, C: number, inverse: boolean,
    R: Float64Array, I: Float64Array, nonZero: number,
  ): void {
    const n = this.n;
    if (n === 1) return;
    const perm = this.perm;
    for (let k = 0; k < n; k++) {
      const row = perm[k]!;
      const s = off + row * ld, t = k * C;
      if (row >= nonZero) {
        R.fill(0, t, t + C);
        I.fill(0, t, t + C);
        continue;
      }
      for (let c = 0; c < C; c++) {
        R[t + c] = re[s + c]!;
        I[t + c] = im[s + c]!;
      }
    }
    const sign = inverse ? -1 : 1;
    for (const stage of this.stages) {
      const block = stage.p * stage.m;
      for (let b = 0; b < n; b += block) {
        switch (stage.p) {
          case 2: this.radix2(R, I, b, stage.m, stage.stride, sign, C); break;
          case 4: this.radix4(R, I, b, stage.m, stage.stride, sign, C); break;
          case 3: this.radix3(R, I, b, stage.m, stage.stride, sign, C); break;
          default: this.radix5(R, I, b, stage.m, stage.stride, sign, C);
        }
      }
    }
    for (let k = 0; k < n; k++) {
      const s = off + k * ld, t = k * C;
      for (let c = 0; c < C; c++) {
        re[s + c] = R[t + c]!;
        im[s + c] = I[t + c]!;
      }
    }
  }

  private radix2(R: Float64Array, I: Float64Array, b: number, m: number, stride: number, sign: number, C: number): void {
    const cs = this.cosT, sn = this.sinT;
    for (let k = 0; k < m; k++) {
      const wr = cs[k * stride]!, wi = sign * sn[k * stride]!;
      const a0 = (b + k) * C, o0 = a0 + m * C;
      for (let c = 0; c < C; c++) {
        const a = a0 + c, o = o0 + c;
        const tr = R[o]! * wr - I[o]! * wi, ti = R[o]! * wi + I[o]! * wr;
        R[o] = R[a]! - tr;
        I[o] = I[a]! - ti;
        R[a] = R[a]! + tr;
        I[a] = I[a]! + ti;
      }
    }
  }

  private radix4(R: Float64Array, I: Float64Array, b: number, m: number, stride: number, sign: number, C: number): void {
    const cs = this.cosT, sn = this.sinT;
    for (let k = 0; k < m; k++) {
      const w1r = cs[k * stride]!, w1i = sign * sn[k * stride]!;
      const w2r = cs[2 * k * stride]!, w2i = sign * sn[2 * k * stride]!;
      const w3r = cs[3 * k * stride]!, w3i = sign * sn[3 * k * stride]!;
      const base = (b + k) * C, mC = m * C;
      for (let c = 0; c < C; c++) {
        const i0 = base + c, i1 = i0 + mC, i2 = i1 + mC, i3 = i2 + mC;
        const x0r = R[i0]!, x0i = I[i0]!;
        const x1r = R[i1]! * w1r - I[i1]! * w1i, x1i = R[i1]! * w1i + I[i1]! * w1r;
        const x2r = R[i2]! * w2r - I[i2]! * w2i, x2i = R[i2]! * w2i + I[i2]! * w2r;
        const x3r = R[i3]! * w3r - I[i3]! * w3i, x3i = R[i3]! * w3i + I[i3]! * w3r;
        const ar = x0r + x2r, ai = x0i + x2i, br = x0r - x2r, bi = x0i - x2i;
        const cr = x1r + x3r, ci = x1i + x3i, dr = x1r - x3r, di = x1i - x3i;
        // d times ∓i (forward: −i).
        const er = sign * di, ei = -sign * dr;
        R[i0] = ar + cr;
        I[i0] = ai + ci;
        R[i2] = ar - cr;
        I[i2] = ai - ci;
        R[i1] = br + er;
        I[i1] = bi + ei;
        R[i3] = br - er;
        I[i3] = bi - ei;
      }
    }
  }

  private radix3(R: Float64Array, I: Float64Array, b: number, m: number, stride: number, sign: number, C: number): void {
    const cs = this.cosT, sn = this.sinT;
    const s60 = sign * SIN60;
    for (let k = 0; k < m; k++) {
      const w1r = cs[k * stride]!, w1i = sign * sn[k * stride]!;
      const w2r = cs[2 * k * stride]!, w2i = sign * sn[2 * k * stride]!;
      const base = (b + k) * C, mC = m * C;
      for (let c = 0; c < C; c++) {
        const i0 = base + c, i1 = i0 + mC, i2 = i1 + mC;
        const x1r = R[i1]! * w1r - I[i1]! * w1i, x1i = R[i1]! * w1i + I[i1]! * w1r;
        const x2r = R[i2]! * w2r - I[i2]! * w2i, x2i = R[i2]! * w2i + I[i2]! * w2r;
        const sr = x1r + x2r, si = x1i + x2i, dr = x1r - x2r, di = x1i - x2i;
        const hr = R[i0]! - sr / 2, hi = I[i0]! - si / 2;
        R[i0] = R[i0]! + sr;
        I[i0] = I[i0]! + si;
        // X₁ = x₀ − s/2 ∓ i·sin60·d, X₂ = x₀ − s/2 ± i·sin60·d (forward: upper signs).
        R[i1] = hr + s60 * di;
        I[i1] = hi - s60 * dr;
        R[i2] = hr - s60 * di;
        I[i2] = hi + s60 * dr;
      }
    }
  }

  private readonly sr = new Float64Array(5);
  private readonly si = new Float64Array(5);

  /** Radix 5 by the direct 5-point DFT (used only for lengths with a factor 5). */
  private radix5(R: Float64Array, I: Float64Array, b: number, m: number, stride: number, sign: number, C: number): void {
    const cs = this.cosT, sn = this.sinT, n = this.n;
    const sr = this.sr, si = this.si;
    for (let u = 0; u < m; u++) {
      for (let c = 0; c < C; c++) {
        for (let q = 0; q < 5; q++) {
          const t = (b + u + q * m) * C + c;
          sr[q] = R[t]!;
          si[q] = I[t]!;
        }
        for (let q1 = 0; q1 < 5; q1++) {
          const k = u + q1 * m;
          let accR = sr[0]!, accI = si[0]!;
          let tw = 0;
          for (let q = 1; q < 5; q++) {
            tw = (tw + stride * k) % n;
            const wr = cs[tw]!, wi = sign * sn[tw]!;
            accR += sr[q]! * wr - si[q]! * wi;
            accI += sr[q]! * wi + si[q]! * wr;
          }
          const t = (b + k) * C + c;
          R[t] = accR;
          I[t] = accI;
        }
      }
    }
  }
}
