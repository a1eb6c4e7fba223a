import { describe, fail, finiteResult } from '../core/errors.js';
import { ldexp, maxAbs, safeScaleExponent, scaledBy } from '../core/math.js';
import { asMatrix64, isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { freezeModel } from '../core/model.js';
import { checkBoolean, checkCallback, checkChoice, checkInt, checkNumber, checkOptions, checkSignal, checkSize, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { drive, driveAsync, type OnProgress } from '../core/iterate.js';
import { gram64, product64 } from '../linalg/matmul.js';
import { encodeGram } from '../omp/encode.js';
import type { KsvdModel } from './model.js';
import { duplicates, indexUsers, normaliseRow, replaceAtom, residualRow, rowErrors, splitAtom, splitCandidates, updateAtom, type State } from './atoms.js';

/**
 * How the atom update is computed. `'exact'`: the first singular pair of the restricted
 * residual; `'approximate'`: Rubinstein's single power step from the current codes.
 *
 * @example
 * ```ts
 * const method: KsvdMethod = 'exact';
 * ```
 */
export type KsvdMethod = 'exact' | 'approximate';

/**
 * The starting dictionary: `'data'` (nAtoms distinct rows of X, normalised), `'random'`
 * (Gaussian rows, normalised) or the atoms themselves, (nAtoms × nFeatures).
 *
 * @example
 * ```ts
 * ksvd.fit(X, { init: previous.dictionary, nNonzero: 3 }); // warm start
 * ```
 */
export type KsvdInit = 'data' | 'random' | MatrixInput;

/**
 * Options of {@link fit}, {@link fitAsync} and {@link steps}.
 *
 * @example
 * ```ts
 * ksvd.fit(X, { nAtoms: 50, nNonzero: 3, maxIter: 80, method: 'exact', seed: 1 });
 * ```
 */
export interface KsvdOptions {
  /** Number of atoms, ≥ 1 (≤ nSamples with `init: 'data'`). @defaultValue the rows of `init` when it is a Matrix (required otherwise) */
  nAtoms?: number;
  /** Atoms per signal in the OMP coding step, in [1, min(nFeatures, nAtoms)]. Required. */
  nNonzero?: number;
  /** Largest number of iterations (coding + atom update). @defaultValue 30 */
  maxIter?: number;
  /**
   * Stop when an iteration replaced no atom and lowered the RMS error by at most
   * tol × the previous error (or the error reached 0).
   * @defaultValue 1e-6
   */
  tol?: number;
  /** The atom update. @defaultValue 'approximate' */
  method?: KsvdMethod;
  /** The starting dictionary. @defaultValue 'data' */
  init?: KsvdInit;
  /**
   * Replace atoms that no signal uses, or that nearly duplicate another (|cos| > 0.99), by
   * the worst-represented signal, normalised; and, during the first half of the iterations,
   * one rarely used atom per iteration (fewer than ¼ of the mean number of users) by a split
   * of the atom whose signals are worst represented (an atom caught between two directions;
   * see the guide). With `false`, a signal also keeps its previous code when OMP finds a
   * worse one, so the RMS error never rises between iterations.
   * @defaultValue true
   */
  replaceAtoms?: boolean;
  /** Seed (or generator) for the initialisation. @defaultValue 0 */
  seed?: SeedLike;
  /** Called after every iteration; return `true` to stop (the model so far is returned, `completed: false`). */
  onProgress?: OnProgress<KsvdStep>;
  /** Stops the run before its next iteration when aborted; the model so far is returned, `completed: false`. */
  signal?: AbortSignal;
}

/**
 * One iteration, as {@link steps} yields it.
 *
 * @example
 * ```ts
 * const errors: number[] = [];
 * for (const s of ksvd.steps(X, { nAtoms: 50, nNonzero: 3 })) errors.push(s.error);
 * ```
 */
export interface KsvdStep {
  /** Iteration number, from 1. */
  readonly iteration: number;
  /** RMS representation error after this iteration. */
  readonly error: number;
  /** Atoms replaced in this iteration. */
  readonly replaced: number;
  /** The dictionary after this iteration, a copy. */
  readonly dictionary: Matrix<Float64Array>;
}

interface Resolved {
  nAtoms: number;
  nNonzero: number;
  maxIter: number;
  tol: number;
  method: KsvdMethod;
  replaceAtoms: boolean;
  init: 'data' | 'random' | Matrix<Float64Array>;
  rng: Random;
  signal: AbortSignal | undefined;
}


/** Every option name of {@link KsvdOptions} (unknown ones are rejected). */
const KSVD_OPTION_NAMES = optionNames<KsvdOptions>()('nAtoms', 'nNonzero', 'maxIter', 'tol', 'method', 'init', 'replaceAtoms', 'seed', 'onProgress', 'signal');

function resolve(options: KsvdOptions | undefined, X: Matrix<Float64Array>): Resolved {
  const opts = checkOptions(options, KSVD_OPTION_NAMES);
  const p = X.cols;
  let init: Resolved['init'];
  const rawInit = opts.init ?? 'data';
  if (rawInit === 'data' || rawInit === 'random') init = rawInit;
  else if (typeof rawInit === 'string' || rawInit === null || typeof rawInit !== 'object') {
    return fail('INVALID_OPTION', `init: received ${describe(rawInit)}, expected 'data', 'random' or a (nAtoms × ${p}) matrix`);
  } else {
    init = asMatrix64(isMatrix(rawInit) ? { rows: rawInit.rows, cols: rawInit.cols, data: Float64Array.from(rawInit.data) } : rawInit, 'init');
    if (init.cols !== p) fail('SHAPE_MISMATCH', `init: atoms have ${init.cols} features, expected ${p} (the width of X)`);
  }
  if (opts.nAtoms === undefined && typeof init === 'string') fail('INVALID_OPTION', 'nAtoms: received undefined, expected the number of atoms (or init as a matrix of atoms)');
  const nAtoms = checkInt(opts.nAtoms ?? (init as Matrix).rows, 'nAtoms', 1, init === 'data' ? X.rows : Infinity);
  checkSize(nAtoms * p, 'nAtoms', `the dictionary (${nAtoms} × ${p})`);
  if (typeof init !== 'string' && init.rows !== nAtoms) fail('SHAPE_MISMATCH', `init: received ${init.rows} atoms, expected nAtoms = ${nAtoms}`);
  if (opts.nNonzero === undefined) fail('INVALID_OPTION', 'nNonzero: received undefined, expected the number of atoms per signal');
  const nNonzero = checkInt(opts.nNonzero, 'nNonzero', 1, Math.min(p, nAtoms));
  const maxIter = checkInt(opts.maxIter ?? 30, 'maxIter', 1, MAX_ITERATIONS);
  const tol = checkNumber(opts.tol ?? 1e-6, 'tol', 0);
  const method = checkChoice(opts.method ?? 'approximate', 'method', ['exact', 'approximate'] as const);
  const replaceAtoms = checkBoolean(opts.replaceAtoms ?? true, 'replaceAtoms');
  const signal = checkSignal(opts.signal);
  checkCallback(opts.onProgress, 'onProgress');
  return { nAtoms, nNonzero, maxIter, tol, method, replaceAtoms, init, rng: randomFrom(opts.seed), signal };
}

function initialDictionary(X: Matrix<Float64Array>, o: Resolved): Float64Array {
  const { nAtoms: K } = o;
  const p = X.cols;
  const D = new Float64Array(K * p);
  if (typeof o.init !== 'string') {
    D.set(o.init.data);
    for (let k = 0; k < K; k++) if (!normaliseRow(D, k, p)) fail('INVALID_INPUT', `init: atom ${k} is zero, expected non-zero atoms`);
    return D;
  }
  if (o.init === 'data') {
    const order = o.rng.shuffle(Int32Array.from({ length: X.rows }, (_, i) => i));
    let k = 0;
    for (let t = 0; t < order.length && k < K; t++) {
      D.set(X.data.subarray(order[t]! * p, (order[t]! + 1) * p), k * p);
      if (normaliseRow(D, k, p)) k++;
    }
    for (; k < K; k++) { // fewer non-zero rows than atoms: the rest at random
      do o.rng.fillNormal(D.subarray(k * p, (k + 1) * p)); while (!normaliseRow(D, k, p));
    }
    return D;
  }
  for (let k = 0; k < K; k++) {
    do o.rng.fillNormal(D.subarray(k * p, (k + 1) * p)); while (!normaliseRow(D, k, p));
  }
  return D;
}

/**
 * The coding step: Batch-OMP against the current D. With `keepBetter` (no atom replacement),
 * a signal keeps its previous code when that represents it better, so the greedy coding
 * cannot raise the error; otherwise OMP's code is always taken (slightly better recovery).
 */
function codingStep(st: State, nNonzero: number, first: boolean, keepBetter: boolean): void {
  const { n, p, K, D, X } = st;
  const Dm = { rows: K, cols: p, data: D };
  // Internal data, checked once in fit: the unvalidated products (#20's two layers).
  const G = gram64(Dm, true);
  const DX = product64(Dm, X, false, true);
  const codes = encodeGram(G, DX, { nNonzero }).codes.data;
  const r = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    residualRow(st, codes, i, r, 0);
    let e = 0;
    for (let j = 0; j < p; j++) e += r[j]! * r[j]!;
    if (first || !keepBetter || e <= st.rowErr[i]!) {
      st.C.set(codes.subarray(i * K, (i + 1) * K), i * K);
      st.R.set(r, i * p);
      st.rowErr[i] = e;
    }
  }
}

function copyDictionary(st: State): Matrix<Float64Array> {
  return { rows: st.K, cols: st.p, data: st.D.slice() };
}

/**
 * K-SVD as a generator of iterations (the form every iterative algorithm here takes):
 * each `next()` runs one coding step (Batch-OMP) and one sweep of atom updates, and
 * yields a {@link KsvdStep}; `next(true)` stops and returns the model so far
 * (`completed: false`), as does an aborted `signal`, checked before every iteration.
 * {@link fit} and {@link fitAsync} drive it.
 *
 * @param X - signals as rows, (nSamples × nFeatures)
 * @throws {@link core!LatentSpaceError} as {@link fit}, when `steps` is called (before the first `next()`)
 *
 * @example
 * ```ts
 * const it = ksvd.steps(X, { nAtoms: 50, nNonzero: 3 });
 * let r = it.next();
 * while (!r.done) r = it.next(r.value.error < 0.05); // stop once the error is small
 * const model = r.value;
 * ```
 */
export function steps(X: MatrixInput, options?: KsvdOptions): Generator<KsvdStep, KsvdModel, boolean | undefined> {
  // Validation happens here, when steps() is called, not at the first next().
  const x0 = asMatrix64(X, 'X');
  return run(x0, resolve(options, x0));
}

function* run(x0: Matrix<Float64Array>, o: ReturnType<typeof resolve>): Generator<KsvdStep, KsvdModel, boolean | undefined> {
  // K-SVD is scale-equivariant (unit atoms; codes and errors scale with X): signals beyond
  // 2^±200 are scaled by 2^k first, so their squares neither overflow nor underflow, and
  // the errors are scaled back.
  const k2 = safeScaleExponent(maxAbs(x0.data), 'float64');
  const x = { rows: x0.rows, cols: x0.cols, data: scaledBy(x0.data, k2) };
  const n = x.rows, p = x.cols, K = o.nAtoms;
  const st: State = {
    X: x, n, p, K,
    D: initialDictionary(x, o),
    C: new Float64Array(n * K),
    R: new Float64Array(n * p),
    rowErr: new Float64Array(n),
    E: new Float64Array(n * p),
    users: new Int32Array(n),
    atomStart: new Int32Array(K + 1),
    byAtom: new Int32Array(n * o.nNonzero),
  };
  const exact = o.method === 'exact';
  const taken = new Uint8Array(n);
  const errors: number[] = [];
  let converged = false, completed = true;
  const scale = 1 / (n * p);
  // Splits stop halfway, so the second half can settle (and the run converge).
  const splitUntil = Math.ceil(o.maxIter / 2);
  for (let iteration = 1; iteration <= o.maxIter; iteration++) {
    if (o.signal?.aborted === true) { completed = false; break; }
    codingStep(st, o.nNonzero, iteration === 1, !o.replaceAtoms);
    indexUsers(st);
    taken.fill(0);
    let replaced = 0;
    for (let k = 0; k < K; k++) {
      if (!updateAtom(st, k, exact) && o.replaceAtoms) {
        replaceAtom(st, k, taken);
        replaced++;
      }
    }
    if (o.replaceAtoms && iteration <= splitUntil) {
      const pair = splitCandidates(st, o.nNonzero);
      if (pair !== null) {
        splitAtom(st, pair.heavy, pair.rare);
        replaced++;
      }
    }
    if (o.replaceAtoms) {
      for (const k of duplicates(st.D, K, p)) {
        replaceAtom(st, k, taken);
        replaced++;
      }
    }
    const error = finiteResult(ldexp(Math.sqrt(rowErrors(st.R, n, p, st.rowErr) * scale), -k2), 'X', 'the RMS error');
    const previous = errors.length > 0 ? errors[errors.length - 1]! : Infinity;
    errors.push(error);
    if (error === 0 || (replaced === 0 && Number.isFinite(previous) && previous >= error && previous - error <= o.tol * previous)) converged = true;
    const stop = yield { iteration, error, replaced, dictionary: copyDictionary(st) };
    if (converged) break;
    // A stop asked for at the last iteration changes nothing: the run has completed.
    if (stop === true) { completed = iteration === o.maxIter; break; }
  }
  return freezeModel<KsvdModel>({
    kind: 'ksvd',
    dictionary: copyDictionary(st),
    nNonzero: o.nNonzero,
    errors: Float64Array.from(errors),
    nIter: errors.length,
    converged,
    completed,
  });
}

const errorOf = (s: KsvdStep): number => s.error;

/**
 * Learns a dictionary by K-SVD (Aharon, Elad & Bruckstein 2006): alternates Batch-OMP
 * coding of every signal with `nNonzero` atoms and a sweep over the atoms, each replaced
 * by the best rank-1 fit of the residual of the signals that use it (its contribution
 * added back): `'exact'` takes the first singular pair, `'approximate'` (Rubinstein et al.
 * 2008) one power step from the current coefficients, much cheaper. Unused atoms, and atoms
 * nearly duplicating another (|cos| > 0.99), are replaced by the worst-represented signal;
 * in the first half of the run, a rarely used atom is re-seeded by splitting the atom whose
 * signals are worst represented into the two directions it serves (our addition to K-SVD:
 * on Aharon et al.'s synthetic test it lifts recovery from ~91% to ~99% of the atoms).
 * With `replaceAtoms: false`, a signal keeps its previous code when OMP finds a worse one,
 * so the error never rises between iterations. Computed in float64.
 *
 * @param X - signals as rows, (nSamples × nFeatures)
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` when nAtoms or nNonzero is missing or
 *   out of range (nNonzero > min(nFeatures, nAtoms); nAtoms > nSamples with `init: 'data'`),
 *   or another option is invalid; `SHAPE_MISMATCH` when `init` does not fit; the coercion
 *   errors of `asMatrix` for X
 *
 * @see Aharon, Elad & Bruckstein, "K-SVD: an algorithm for designing overcomplete
 *   dictionaries for sparse representation", IEEE Trans. Signal Process. 54(11) (2006)
 * @see Rubinstein, Zibulevsky & Elad, "Efficient implementation of the K-SVD algorithm
 *   using Batch Orthogonal Matching Pursuit", Technion CS-2008-08 (2008)
 *
 * @example
 * ```ts
 * import * as ksvd from 'latentspace/ksvd';
 * const model = ksvd.fit(X, { nAtoms: 50, nNonzero: 3, maxIter: 80, seed: 0 });
 * model.dictionary.rows; // 50, unit-norm rows
 * model.errors;          // RMS error after every iteration
 * ```
 */
export function fit(X: MatrixInput, options?: KsvdOptions): KsvdModel {
  return drive(steps(X, options), errorOf, options?.onProgress);
}

/**
 * {@link fit} that yields to the event loop between iterations, so a page stays responsive
 * and an AbortSignal can stop it.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const model = await ksvd.fitAsync(X, { nAtoms: 50, nNonzero: 3, signal: controller.signal });
 * ```
 */
export async function fitAsync(X: MatrixInput, options?: KsvdOptions): Promise<KsvdModel> {
  return driveAsync(steps(X, options), errorOf, options?.onProgress);
}
