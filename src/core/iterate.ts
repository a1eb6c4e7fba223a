import { checkCallback } from './options.js';

// The drivers of every long run (DESIGN.md, "Long runs"): an algorithm is written once as
// a generator of steps that accepts `true` from next() as "stop now and return what you
// have"; `drive` runs it synchronously, `driveAsync` yields to the event loop between steps,
// and both report progress and honour a callback that asks to stop.

/**
 * What a progress callback receives after every iteration: the step itself, its cost and
 * the time since the run began.
 *
 * @example
 * ```ts
 * const costs: number[] = [];
 * const onProgress = (p: Progress<KMeansStep>) => { costs.push(p.cost); };
 * ```
 */
export type Progress<S> = S & {
  /** The objective after this step (for k-means, the step's inertia). */
  readonly cost: number;
  /** Milliseconds since the run began. */
  readonly elapsed: number;
};

/**
 * A callback called after every iteration; returning `true` stops the run, which still
 * returns its result so far (marked `converged: false`).
 *
 * @example
 * ```ts
 * const stopAt10: OnProgress<KMeansStep> = (p) => p.iteration >= 10; // true stops the run
 * ```
 */
export type OnProgress<S> = (progress: Progress<S>) => boolean | void;

const now: () => number = typeof performance !== 'undefined' && typeof performance.now === 'function'
  ? () => performance.now()
  : () => Date.now();

/**
 * Yields to the event loop: a macrotask (setImmediate in Node, a MessageChannel message in
 * browsers and workers, setTimeout elsewhere) so timers, I/O and rendering get their turn.
 *
 * @example
 * ```ts
 * await nextTick(); // timers and rendering have had their turn
 * ```
 */
export function nextTick(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => { g.setImmediate!(resolve); });
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

/**
 * Calls `onProgress` for one step and says whether it asked to stop.
 */
function report<S>(step: S, cost: (s: S) => number, t0: number, onProgress: OnProgress<S> | undefined): boolean {
  if (onProgress === undefined) return false;
  return onProgress({ ...step, cost: cost(step), elapsed: now() - t0 }) === true;
}

/**
 * Runs a generator of steps to its end: the synchronous variant of every iterative
 * algorithm. After each step, `onProgress` may ask to stop; the generator receives that
 * as `next(true)` and returns its result so far. This is how a module's `fit` runs its
 * `steps`, and the way to run `steps` yourself (with a cost of your choosing to report).
 *
 * @example
 * ```ts
 * drive(kmeans.steps(X, { k: 3 }), (s) => s.inertia, (p) => p.iteration === 5).nIter; // 5
 * ```
 */
export function drive<S, R>(steps: Generator<S, R, boolean | undefined>, cost: (s: S) => number, onProgress?: OnProgress<S>): R {
  checkCallback(onProgress, 'onProgress');
  const t0 = now();
  let r = steps.next();
  while (!r.done) r = steps.next(report(r.value, cost, t0, onProgress));
  return r.value;
}

/**
 * {@link drive}, yielding to the event loop before every step.
 *
 * @example
 * ```ts
 * (await driveAsync(kmeans.steps(X, { k: 3 }), (s) => s.inertia)).kind; // 'kmeans'
 * ```
 */
export async function driveAsync<S, R>(steps: Generator<S, R, boolean | undefined>, cost: (s: S) => number, onProgress?: OnProgress<S>): Promise<R> {
  checkCallback(onProgress, 'onProgress');
  const t0 = now();
  await nextTick();
  let r = steps.next();
  while (!r.done) {
    const stop = report(r.value, cost, t0, onProgress);
    await nextTick();
    r = steps.next(stop);
  }
  return r.value;
}
