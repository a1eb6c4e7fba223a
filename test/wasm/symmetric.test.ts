// The kernels of the symmetric eigenproblem (tridiagonalize, secularEigen,
// applyReflectorsRight) on both backends, each against a naive reference, over sizes that
// cross the 2- and 4-row unrolls of the reduction, the f64x2 pairs, and the 32-reflector
// blocks of the back-transformation; then the two backends against each other.
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { wasmKernels } from '../../src/wasm/index.js';
import { EDGE_SIZES, SENTINEL, expectClose, kernelsThatCannotGrow } from './reference.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});
const backends: [string, () => Kernels][] = [['js', () => jsKernels], ['wasm', () => W]];

const SIZES = [...EDGE_SIZES, 31, 32, 33, 96, 97, 130];

/** Largest |entry| of a row-major (rows × cols) block. */
function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** A random symmetric (n × n) matrix, row-major. */
function randomSymmetric(n: number, rng: Random): Float64Array {
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) S[i * n + j] = S[j * n + i] = rng.uniform(-1, 1);
  return S;
}

/** X (rows × n) ← X·(I − τ·v·vᵀ), one reflector at a time: the naive reference. */
function reflectRight(rows: number, n: number, X: Float64Array, off: number, ld: number, v: Float64Array, tau: number): void {
  if (tau === 0) return;
  for (let r = 0; r < rows; r++) {
    const row = off + r * ld;
    let s = 0;
    for (let l = 0; l < n; l++) s += X[row + l]! * v[l]!;
    for (let l = 0; l < n; l++) X[row + l] = X[row + l]! - tau * s * v[l]!;
  }
}

/** Reflector j of a row-stored sequence as a full vector (zeros, the unit entry, the rest). */
function reflector(j: number, shift: number, total: number, V: Float64Array, offV: number, ldv: number): Float64Array {
  const v = new Float64Array(total);
  v[j + shift] = 1;
  for (let l = j + shift + 1; l < total; l++) v[l] = V[offV + j * ldv + l]!;
  return v;
}

describe.each(backends)('tridiagonalize (%s)', (_, K) => {
  it('Qᵀ·S·Q is the tridiagonal (d, e), Q orthogonal, reading only the upper triangle', () => {
    const rng = new Random(11);
    for (const n of SIZES) for (const [off, slack] of [[0, 0], [3, 5]] as const) {
      const S = randomSymmetric(n, rng);
      const lda = n + slack;
      // Upper triangle: S; lower triangle: NaN (never read, never written); rest: sentinels.
      const A = new Float64Array(off + n * lda + 2).fill(SENTINEL);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[off + i * lda + j] = j >= i ? S[i * n + j]! : NaN;
      const d = new Float64Array(n), e = new Float64Array(Math.max(n - 1, 0)), tau = new Float64Array(Math.max(n - 1, 0));
      K().tridiagonalize(n, A, off, lda, d, e, tau);
      for (let p = 0; p < A.length; p++) {
        const q = p - off, i = Math.floor(q / lda), j = q % lda;
        const inside = q >= 0 && i < n && j < n;
        if (!inside) expect(A[p], `n=${n} element ${p} outside A`).toBe(SENTINEL);
        else if (j < i) expect(A[p], `n=${n} lower (${i}, ${j})`).toBeNaN();
      }
      // Q = H₀H₁⋯H_{n−2}, formed as I·H₀·H₁⋯ (rows of the identity reflected from the right).
      const Q = new Float64Array(n * n);
      for (let i = 0; i < n; i++) Q[i * n + i] = 1;
      for (let j = 0; j < n - 1; j++) reflectRight(n, n, Q, 0, n, reflector(j, 1, n, A, off, lda), tau[j]!);
      const scale = maxAbs(S) * n;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let t = 0, qq = 0;
        for (let a = 0; a < n; a++) {
          qq += Q[a * n + i]! * Q[a * n + j]!;
          let sq = 0;
          for (let b = 0; b < n; b++) sq += S[a * n + b]! * Q[b * n + j]!;
          t += Q[a * n + i]! * sq;
        }
        const expected = i === j ? d[i]! : Math.abs(i - j) === 1 ? e[Math.min(i, j)]! : 0;
        expectClose(t, expected, scale, 1e-13, `n=${n} (QᵀSQ)[${i}][${j}]`);
        expectClose(qq, i === j ? 1 : 0, n, 1e-14, `n=${n} (QᵀQ)[${i}][${j}]`);
      }
    }
  });

  it('a matrix that is already tridiagonal (every τ = 0) and the zero matrix', () => {
    for (const n of [1, 2, 3, 6, 9]) {
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        A[i * n + i] = i + 1;
        if (i + 1 < n) A[i * n + i + 1] = A[(i + 1) * n + i] = -2;
      }
      const d = new Float64Array(n), e = new Float64Array(Math.max(n - 1, 0)), tau = new Float64Array(Math.max(n - 1, 0)).fill(7);
      K().tridiagonalize(n, A, 0, n, d, e, tau);
      expect(Array.from(d)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(Array.from(e)).toEqual(new Array(Math.max(n - 1, 0)).fill(-2));
      expect(Array.from(tau)).toEqual(new Array(Math.max(n - 1, 0)).fill(0));
      const Z = new Float64Array(n * n);
      K().tridiagonalize(n, Z, 0, n, d, e, tau);
      expect(Array.from(d).concat(Array.from(e), Array.from(tau)).every((x) => x === 0)).toBe(true);
    }
  });
});

describe.each(backends)('applyReflectorsRight (%s)', (_, K) => {
  it('equals the reflectors applied one by one, C·Q and C·Qᵀ, across block boundaries', () => {
    const rng = new Random(5);
    let seed = 0;
    for (const total of [1, 2, 3, 5, 8, 17, 33, 64, 65, 100]) for (const shift of [0, 1, 2]) {
      const kMax = total - shift;
      if (kMax <= 0) continue;
      for (const k of new Set([1, Math.min(2, kMax), Math.min(32, kMax), Math.min(33, kMax), kMax])) {
        for (const m of [1, 4, 5, 33, 70]) {
          const trans = seed++ % 2 === 0;
          const offV = seed % 3, ldv = total + (seed % 4), offC = 1 + (seed % 2), ldc = total + 2 * (seed % 3);
          // Entries at and before each unit position are NaN: they must not be read.
          const V = new Float64Array(offV + k * ldv).fill(NaN);
          const tau = new Float64Array(k);
          for (let j = 0; j < k; j++) {
            let ss = 1;
            for (let l = j + shift + 1; l < total; l++) {
              const x = rng.uniform(-1, 1);
              V[offV + j * ldv + l] = x;
              ss += x * x;
            }
            // Orthogonal reflectors (τ = 2/‖v‖²), so products stay bounded; some identities.
            tau[j] = j % 7 === 3 ? 0 : 2 / ss;
          }
          const C = new Float64Array(offC + m * ldc + 3).fill(SENTINEL);
          for (let i = 0; i < m; i++) for (let l = 0; l < total; l++) C[offC + i * ldc + l] = rng.uniform(-1, 1);
          const ref = C.slice();
          const order = Array.from({ length: k }, (_, j) => (trans ? k - 1 - j : j));
          for (const j of order) reflectRight(m, total, ref, offC, ldc, reflector(j, shift, total, V, offV, ldv), tau[j]!);
          K().applyReflectorsRight(trans, m, total, k, shift, V, offV, ldv, tau, C, offC, ldc);
          for (let p = 0; p < C.length; p++) {
            const q = p - offC, inside = q >= 0 && Math.floor(q / ldc) < m && q % ldc < total;
            if (!inside) expect(C[p]).toBe(SENTINEL);
            else expectClose(C[p]!, ref[p]!, Math.sqrt(total), 1e-13 * Math.max(k, 4), `m=${m} total=${total} k=${k} shift=${shift} trans=${trans} [${p}]`);
          }
        }
      }
    }
  });

  it('m = 0 or k = 0 leaves C untouched', () => {
    const C = new Float64Array([1, 2, 3, 4]);
    K().applyReflectorsRight(true, 0, 2, 1, 0, new Float64Array([1, 5]), 0, 2, new Float64Array([1]), C, 0, 2);
    K().applyReflectorsRight(false, 2, 2, 0, 0, new Float64Array(0), 0, 2, new Float64Array(0), C, 0, 2);
    expect(Array.from(C)).toEqual([1, 2, 3, 4]);
  });
});

/** Poles, weights and ρ of a random secular problem; `gap` sets how close neighbouring poles may be. */
function secularProblem(k: number, rng: Random, gap: number): { d: Float64Array; z: Float64Array; rho: number } {
  const d = new Float64Array(k), z = new Float64Array(k);
  let x = rng.uniform(-1, 0);
  for (let i = 0; i < k; i++) {
    d[i] = x;
    x += gap * (0.1 + rng.uniform());
    const w = rng.uniform(0.05, 1);
    z[i] = rng.uniform() < 0.5 ? -w : w;
  }
  let zz = 0;
  for (let i = 0; i < k; i++) zz += z[i]! ** 2;
  for (let i = 0; i < k; i++) z[i] = z[i]! / Math.sqrt(zz);
  return { d, z, rho: rng.uniform(0.1, 2) };
}

describe.each(backends)('secularEigen (%s)', (_, K) => {
  it('eigenpairs of D + ρ·z·zᵀ: residuals, orthonormal rows, interlacing, over sizes and pole gaps', () => {
    const rng = new Random(3);
    for (const k of [...SIZES, 257]) for (const gap of [1, 1e-3, 1e-9]) {
      const { d, z, rho } = secularProblem(k, rng, gap / k);
      const lambda = new Float64Array(k), U = new Float64Array(k * k);
      K().secularEigen(k, d, z, rho, lambda, U);
      const norm = maxAbs(d) + rho;
      for (let j = 0; j < k; j++) {
        // Interlacing: d_j < λ_j < d_{j+1} (< d_{k−1} + ρ for the last), up to rounding.
        const upper = j + 1 < k ? d[j + 1]! : d[k - 1]! + rho;
        expect(lambda[j]!, `k=${k} λ_${j}`).toBeGreaterThanOrEqual(d[j]! - 1e-15 * norm);
        expect(lambda[j]!, `k=${k} λ_${j}`).toBeLessThanOrEqual(upper + 1e-15 * norm);
        if (j > 0) expect(lambda[j]!).toBeGreaterThanOrEqual(lambda[j - 1]!);
        // (D + ρzzᵀ)u − λu, against the naive product.
        const u = U.subarray(j * k, (j + 1) * k);
        let zu = 0;
        for (let i = 0; i < k; i++) zu += z[i]! * u[i]!;
        for (let i = 0; i < k; i++) {
          expectClose(d[i]! * u[i]! + rho * z[i]! * zu, lambda[j]! * u[i]!, norm, 1e-14 * k, `k=${k} gap=${gap} residual (${j}, ${i})`);
        }
      }
      for (let a = 0; a < k; a += Math.max(1, k >> 4)) for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += U[a * k + i]! * U[b * k + i]!;
        expectClose(s, a === b ? 1 : 0, 1, 1e-14 * k, `k=${k} gap=${gap} (UUᵀ)[${a}][${b}]`);
      }
    }
  });

  it('k = 1: λ = d + ρz², u = ±1', () => {
    const lambda = new Float64Array(1), U = new Float64Array(1);
    K().secularEigen(1, new Float64Array([0.5]), new Float64Array([-1]), 2, lambda, U);
    expect(lambda[0]).toBeCloseTo(2.5, 14);
    expect(Math.abs(U[0]!)).toBeCloseTo(1, 15);
  });
});

describe('the two backends agree', () => {
  it('tridiagonalize: same d, e, τ and reflectors', () => {
    const rng = new Random(21);
    for (const n of [2, 5, 17, 64, 65, 130]) {
      const S = randomSymmetric(n, rng);
      const run = (K: Kernels) => {
        const A = S.slice(), d = new Float64Array(n), e = new Float64Array(n - 1), tau = new Float64Array(n - 1);
        K.tridiagonalize(n, A, 0, n, d, e, tau);
        return { A, d, e, tau };
      };
      const j = run(jsKernels), w = run(W);
      for (let i = 0; i < n; i++) expectClose(w.d[i]!, j.d[i]!, n, 1e-13, `n=${n} d[${i}]`);
      for (let i = 0; i < n - 1; i++) {
        expectClose(w.e[i]!, j.e[i]!, n, 1e-13, `n=${n} e[${i}]`);
        expectClose(w.tau[i]!, j.tau[i]!, 1, 1e-12, `n=${n} tau[${i}]`);
        for (let l = i + 2; l < n; l++) expectClose(w.A[i * n + l]!, j.A[i * n + l]!, 1, 1e-11, `n=${n} v_${i}[${l}]`);
      }
    }
  });

  it('secularEigen: same eigenvalues and eigenvectors', () => {
    const rng = new Random(8);
    for (const k of [1, 2, 3, 16, 17, 65, 200]) {
      const { d, z, rho } = secularProblem(k, rng, 1 / k);
      const run = (K: Kernels) => {
        const lambda = new Float64Array(k), U = new Float64Array(k * k);
        K.secularEigen(k, d, z, rho, lambda, U);
        return { lambda, U };
      };
      const j = run(jsKernels), w = run(W);
      for (let i = 0; i < k; i++) expectClose(w.lambda[i]!, j.lambda[i]!, maxAbs(d) + rho, 1e-15 * k, `k=${k} λ[${i}]`);
      for (let p = 0; p < k * k; p++) expectClose(w.U[p]!, j.U[p]!, 1, 1e-12, `k=${k} U[${p}]`);
    }
  });
});

describe('when linear memory cannot grow', () => {
  it('each kernel runs on its TypeScript twin, with identical results', () => {
    const K = kernelsThatCannotGrow();
    const n = 20;
    const S = randomSymmetric(n, new Random(4));
    const run = (k: Kernels) => {
      const A = S.slice(), d = new Float64Array(n), e = new Float64Array(n - 1), tau = new Float64Array(n - 1);
      k.tridiagonalize(n, A, 0, n, d, e, tau);
      const C = S.slice();
      k.applyReflectorsRight(true, n, n, n - 1, 1, A, 0, n, tau, C, 0, n);
      const lambda = new Float64Array(n), U = new Float64Array(n * n);
      k.secularEigen(n, Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => 1 / (i + 2)), 0.5, lambda, U);
      return { A, d, e, tau, C, lambda, U };
    };
    expect(run(K)).toEqual(run(jsKernels));
    expect(K.memoryBytes()).toBe(0);
  });
});
