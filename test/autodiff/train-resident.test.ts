// train() keeps the parameters, gradients, the optimiser's state and the step's values in
// the kernels' memory for a run (src/autodiff/resident.ts, as the VAE): growth in the middle
// of a run must change nothing, the regions must be given back however the run ends, and
// the result is plain arrays with the optimiser's state laid out per parameter.
import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import { leaves } from '../../src/autodiff/tree.js';
import type { Matrix } from '../../src/core/index.js';
import { memoryBytes, reset } from '../../src/wasm/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { probe, runGrowingMemory } from '../helpers/memory.js';

const bits = (t: unknown) => leaves(t).map(({ matrix }) => Array.from(matrix.data));

function problem(rows: number, seed: number, dtype: 'float32' | 'float64') {
  const make = (cols: number, s: number): Matrix => {
    const data = fill(new Float64Array(rows * cols), s);
    return { rows, cols, data: dtype === 'float32' ? Float32Array.from(data) : data };
  };
  return { params: ad.mlp.init([12, 20, 3], { seed, dtype }), data: { x: make(12, seed), y: make(3, seed + 1) } };
}
const loss = (p: ad.Tracked<ad.DenseParams[]>, b: { x: Matrix; y: Matrix }) => ad.mse(ad.mlp.apply(p, b.x), b.y);

/** Everything a run gives back, as plain numbers. */
const outcome = (r: ad.TrainResult<ad.DenseParams[]>) => ({
  params: bits(r.params), history: Array.from(r.history), completed: r.completed, step: r.optimizerState.step,
  first: r.optimizerState.first.map((m) => [m.rows, m.cols, ...m.data]), second: r.optimizerState.second.map((m) => [m.rows, m.cols, ...m.data]),
});

describe.each(backendNames)('train with resident parameters on the %s backend', (name) => {
  useBackendFor(name);

  it('memory grown in the middle of a run changes nothing, and the state is the optimiser\'s own layout', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const optimizer of [ad.adam({ learningRate: 1e-2 }), ad.sgd({ learningRate: 0.05, momentum: 0.9 })]) {
        const { params, data } = problem(90, 3, dtype);
        const options = { epochs: 3, batchSize: 32, seed: 5, optimizer };
        const whole = ad.train(loss, params, data, options);
        const grown = runGrowingMemory(ad.trainSteps(loss, params, data, options), (s) => s.iteration === 2, name === 'wasm');
        expect(outcome(grown)).toEqual(outcome(whole));
        // The state continues training as optimizer.init made it: one Matrix per parameter.
        const fresh = optimizer.init(params);
        expect(whole.optimizerState.first.map((m) => [m.rows, m.cols, m.data.constructor])).toEqual(fresh.first.map((m) => [m.rows, m.cols, m.data.constructor]));
        expect(whole.optimizerState.second.length).toBe(fresh.second.length);
        expect(whole.optimizerState.step).toBe(9);
        for (const { matrix } of leaves(whole.params)) expect(matrix.data.byteOffset).toBe(0); // plain arrays, not views
      }
    }
  });

  it('a run from a fresh memory equals one after the memory grew', () => {
    const { params, data } = problem(200, 4, 'float32');
    const options = { epochs: 2, batchSize: 64, seed: 1 };
    if (name === 'wasm') reset();
    const fresh = ad.train(loss, params, data, options);
    expect(outcome(ad.train(loss, params, data, options))).toEqual(outcome(fresh));
  });

  it('300 runs leave the memory flat, whether they end, stop early, are abandoned or fail', () => {
    const { params, data } = problem(40, 6, 'float32');
    ad.train(loss, params, data, { epochs: 1, batchSize: 16 });
    // Memory grown by an earlier test could hide a leak: the first free address shows it.
    const bytes = memoryBytes(), first = probe();
    for (let r = 0; r < 300; r++) {
      const options = { epochs: 2, batchSize: 16, seed: r };
      switch (r % 4) {
        case 0:
          ad.train(loss, params, data, options);
          break;
        case 1: {
          const it = ad.trainSteps(loss, params, data, options);
          it.next();
          it.next(true);
          break;
        }
        case 2: {
          // Abandoned after one step: return() runs the generator's cleanup, as for-of does.
          const it = ad.trainSteps(loss, params, data, options);
          it.next();
          it.return(undefined as never);
          break;
        }
        default: {
          let calls = 0;
          const failing = (p: ad.Tracked<ad.DenseParams[]>, b: { x: Matrix; y: Matrix }) => {
            if (++calls === 3) throw new Error('boom');
            return loss(p, b);
          };
          expect(() => ad.train(failing, params, data, options)).toThrow('boom');
        }
      }
    }
    expect(memoryBytes()).toBe(bytes);
    expect(probe()).toBe(first);
  });

  it('parameters of two element types are refused, naming them', () => {
    const { params, data } = problem(20, 7, 'float32');
    const mixed = [params[0]!, { weight: { ...params[1]!.weight, data: Float64Array.from(params[1]!.weight.data) }, bias: params[1]!.bias }];
    expect(() => ad.train(loss, mixed, data, { epochs: 1 })).toThrow(/params\[1\]\.weight is float64 but params\[0\]\.weight is float32/);
  });
});
