import type { FloatArray, Matrix } from '../core/matrix.js';
import { regionKernel } from '../linalg/kernels/dispatch.js';
import type { Region } from '../linalg/kernels/types.js';
import { dtypeOfParams } from './grad.js';
import type { Optimizer, OptimizerState } from './optim.js';
import { Workspace, type Dtype } from './tape.js';
import { cloneParams, leaves, rebuild, type Grads, type Params } from './tree.js';

/**
 * A training run's parameters, their gradients and the optimiser's state, kept in one
 * region of the active kernels' memory (see `Region` in linalg/kernels/types.ts) for the
 * whole run: the WebAssembly GEMMs read the weights where they lie, and the optimiser
 * updates all parameters with one kernel call that copies nothing, instead of copying
 * 2.6 MB in and out per parameter matrix and step (the VAE's 650,000 float32 parameters:
 * a fifth of an epoch went to those copies). On the TypeScript backend the region is a
 * plain array and everything below is the same code path.
 *
 * The region holds four blocks of `size` entries, parameters (p), gradients (g), first and
 * second moments (m, v), each in the order of `leaves(params)`: one flat vector, so an
 * elementwise optimiser steps all of them at once, with the same bits as leaf by leaf.
 *
 * Growing the memory (any kernel call may) detaches every view of it, so views are never
 * kept across a computation that might grow it: {@link ResidentParams.stable} runs such a
 * computation on fresh views and runs it again if the memory grew under it (it must not
 * modify the parameters; a training step's forward and backward passes do not). Once the
 * memory has grown to a run's largest step, that happens no more.
 *
 * @example
 * ```ts
 * const resident = new ResidentParams(initialWeights, adam());
 * const { grads } = resident.stable((w) => valueAndGrad(loss, w, { workspace }));
 * resident.step(grads);
 * resident.release();
 * const trained = resident.params(); // plain arrays again
 * ```
 */
export class ResidentParams<P extends Params> {
  private readonly region: Region<FloatArray>;
  private readonly size: number;
  private readonly shape: P;
  private readonly offsets: number[];
  private step_ = 0;
  // The parameters and the optimiser's state copied out by release().
  private kept: { params: P; state: OptimizerState | null } | null = null;
  // Views of the current memory buffer, rebuilt when it changes.
  private buffer: ArrayBufferLike | null = null;
  private views!: { params: P; flat: Matrix; grads: Matrix; state: OptimizerState };

  /**
   * Copies `params` into a new region; the optimiser's state starts at zero, as
   * `optimizer.init` makes it. Parameters of two element types are refused as
   * `valueAndGrad` refuses them (one region holds one type).
   */
  constructor(params: P, private readonly optimizer: Optimizer) {
    const list = leaves(params);
    dtypeOfParams(list.map((l) => l.path), list.map((l) => l.matrix));
    this.shape = params;
    this.offsets = [];
    let size = 0;
    for (const { matrix } of list) {
      this.offsets.push(size);
      size += matrix.data.length;
    }
    this.size = size;
    this.region = regionKernel()(list[0]!.matrix.data, 4 * size);
    const all = this.region.view();
    list.forEach(({ matrix }, i) => all.set(matrix.data, this.offsets[i]!));
    all.fill(0, size);
  }

  /** The parameters, as views valid until a kernel call grows the memory. */
  params(): P {
    return this.kept?.params ?? this.current().params;
  }

  /**
   * The optimiser's state as `optimizer.init(params)` lays it out, one Matrix per
   * parameter (a copy), to continue training with `optimizer.step`.
   */
  optimizerState(): OptimizerState {
    if (this.kept !== null) {
      if (this.kept.state === null) throw new Error('latentspace internal error: the optimiser state of released ResidentParams was not kept (release(true))');
      return this.kept.state;
    }
    const { state } = this.current();
    const split = (block: Matrix[]): Matrix[] => leaves(this.shape).map(({ matrix: m }, i) => (
      { rows: m.rows, cols: m.cols, data: block[0]!.data.slice(this.offsets[i]!, this.offsets[i]! + m.data.length) }
    ));
    return { kind: state.kind, step: state.step, first: split(state.first), second: state.second.length === 0 ? [] : split(state.second) };
  }

  /**
   * `f(params)` on fresh views of the parameters, run again whenever the memory grew while
   * it ran (its views went stale, and its reads of them may have failed or read nothing).
   * `f` must leave the parameters unchanged.
   */
  stable<T>(f: (params: P) => T): T {
    // Each repetition follows a growth, and the memory only grows up to what f needs: this ends.
    for (;;) {
      const before = this.region.view().buffer;
      let value: T;
      try {
        value = f(this.params());
      } catch (e) {
        if (this.region.view().buffer === before) throw e;
        continue;
      }
      if (this.region.view().buffer === before) return value;
    }
  }

  /** One optimiser step on every parameter: the gradients copied in, one kernel call. */
  step(grads: Grads<P>): void {
    const { flat, grads: g, state } = this.current();
    leaves(grads, 'grads').forEach(({ matrix }, i) => g.data.set(matrix.data, this.offsets[i]!));
    this.optimizer.step(flat, g, state);
    this.step_ = state.step;
  }

  /**
   * Gives the memory back, keeping a plain copy of the parameters: {@link params} returns
   * that copy from then on (views taken before must not be used), and, when `keepState`,
   * {@link optimizerState} its copy of the state. Idempotent (the first call decides).
   */
  release(keepState = false): void {
    if (this.kept !== null) return;
    this.kept = { params: cloneParams(this.params()), state: keepState ? this.optimizerState() : null };
    this.region.release();
    this.buffer = null;
  }

  private current(): ResidentParams<P>['views'] {
    const all = this.region.view();
    if (all.buffer !== this.buffer) {
      const n = this.size;
      const block = (b: number): Matrix => ({ rows: 1, cols: n, data: all.subarray(b * n, (b + 1) * n) });
      const list = leaves(this.shape);
      const params = rebuild(this.shape, list.map(({ matrix: m }, i) => ({ rows: m.rows, cols: m.cols, data: all.subarray(this.offsets[i]!, this.offsets[i]! + m.data.length) }))) as P;
      const state: OptimizerState = { kind: this.optimizer.name, step: this.step_, first: [block(2)], second: this.optimizer.name === 'adam' ? [block(3)] : [] };
      this.views = { params, flat: block(0), grads: block(1), state };
      this.buffer = all.buffer;
    }
    return this.views;
  }
}

const LIKE = { float32: new Float32Array(0), float64: new Float64Array(0) } satisfies Record<Dtype, FloatArray>;

/**
 * A {@link Workspace} whose buffers are regions of the active kernels' memory: a training
 * step's values and gradients are made where the next kernel reads them (no copies in and
 * out of WebAssembly memory per call). Its buffers are views like the parameters': use it
 * inside {@link ResidentParams.stable}, and `release()` it when the run ends.
 *
 * @example
 * ```ts
 * const workspace = residentWorkspace();
 * resident.stable((w) => valueAndGrad(loss, w, { workspace }));
 * workspace.release();
 * ```
 */
export function residentWorkspace(): Workspace {
  return new Workspace((dtype, length) => regionKernel()(LIKE[dtype], length));
}
