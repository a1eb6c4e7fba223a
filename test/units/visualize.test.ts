import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import type { Matrix } from '../../src/core/matrix.js';
import * as units from '../../src/units/index.js';
import type { Net, Objective, VisualizeStep } from '../../src/units/index.js';
import type { Progress } from '../../src/core/iterate.js';
import { codeOf } from '../helpers/errors.js';

// A small float64 ReLU network on 4 × 4 pictures (16 inputs, 6 hidden units, 3 outputs).
const params = ad.mlp.init([16, 6, 3], { seed: 5, dtype: 'float64' });
const v = [1, -0.5, 0.25, 2, 0, -1];

/** objective(h(x)) − l1·‖previous layer‖₁ of one input row, computed directly (no tape). */
function composed(x: Float64Array, objective: Objective, layer: number, l1: number): number {
  const out = ad.mlp.activations(params, { rows: 1, cols: 16, data: x });
  const previous = Array.from(layer === 0 ? x : out[layer - 1]!.data);
  return objective(out[layer]!).value[0]! - l1 * previous.reduce((s, y) => s + Math.abs(y), 0);
}

describe('visualize', () => {
  it('follows the gradient of objective(h(x)) − l1·‖previous‖₁: Adam\'s first step moves every entry by the learning rate, uphill', () => {
    const x0 = Float64Array.from({ length: 16 }, (_, i) => 0.3 + 0.4 * Math.sin(i * 1.7));
    const slopes = (objective: Objective, layer: number, l1: number) => Array.from({ length: 16 }, (_, j) => {
      const e = 1e-6, up = Float64Array.from(x0), down = Float64Array.from(x0);
      up[j]! += e;
      down[j]! -= e;
      return (composed(up, objective, layer, l1) - composed(down, objective, layer, l1)) / (2 * e);
    });
    for (const [objective, layer, l1] of [[units.dot(v), 0, 0], [units.dotCos(v, { power: 2 }), 0, 0.2], [units.cosine([1, 2, -1]), 1, 0.2]] as const) {
      const r = units.visualize('mlp', params, objective, { layer, l1, steps: 1, learningRate: 1e-3, init: [Array.from(x0)] });
      const slope = slopes(objective, layer, l1);
      // The penalty is strong enough to turn some slopes round, so a lost penalty would show.
      if (l1 > 0) expect(slopes(objective, layer, 0).some((s, j) => Math.sign(s) !== Math.sign(slope[j]!))).toBe(true);
      let checked = 0;
      for (let j = 0; j < 16; j++) {
        if (Math.abs(slope[j]!) < 1e-6) continue; // a flat direction (a silent ReLU): no sign to check
        const moved = r.input.data[j]! - x0[j]!;
        expect(Math.sign(moved)).toBe(Math.sign(slope[j]!));
        expect(Math.abs(moved)).toBeCloseTo(1e-3, 6);
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    }
  });

  it('raises the objective, keeps the input in its clamp range, and returns one picture per start', () => {
    const r = units.visualize('mlp', params, units.dotCos(v), { steps: 60, clamp: [0, 1], init: 3, seed: 2 });
    expect([r.input.rows, r.input.cols, r.values.length, r.nIter, r.history.length]).toEqual([3, 16, 3, 60, 60]);
    expect(r.completed).toBe(true);
    expect(r.history[59]!).toBeGreaterThan(r.history[0]!);
    expect(Math.min(...r.input.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r.input.data)).toBeLessThanOrEqual(1);
    // values: the objective at the final inputs, as the objective itself gives it.
    const h = ad.mlp.activations(params, r.input)[0]!;
    expect(Array.from(r.values)).toEqual(Array.from(units.dotCos(v)(h).value));
  });

  it('jitter shifts the picture and maps the gradient back: entries shifted out of view do not move', () => {
    // A linear layer with positive weights and v = 1: every pixel that lands in view has a
    // positive slope, so one Adam step moves it by +lr; a pixel shifted out of view by this
    // step's (dx, dy) has gradient 0 and stays.
    const W = { rows: 16, cols: 1, data: Float64Array.from({ length: 16 }, (_, i) => 1 + i / 16) };
    const linear: Net<{ W: Matrix }> = (p, x, call) => [call.intervene ? call.intervene(0, ad.matmul(x, p.W)) : ad.matmul(x, p.W)];
    const x0 = new Float64Array(16).fill(0.5);
    const seen = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const r = units.visualize(linear, { W }, units.dot([1]), { steps: 1, learningRate: 0.01, jitter: 1, inputShape: [4, 4], init: [Array.from(x0)], seed });
      const moved = Array.from(r.input.data, (y, i) => Math.round((y - x0[i]!) / 0.01));
      // The step's value says which (dx, dy) was drawn: the shifted picture is 0.5 where a
      // pixel lands and 0 where nothing does, and the weights are all different.
      const inView = (i: number, dx: number, dy: number) => {
        const x = i % 4 + dx, y = Math.floor(i / 4) + dy;
        return x >= 0 && x < 4 && y >= 0 && y < 4;
      };
      const shifts = [-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => [dx, dy] as const));
      const drawn = shifts.filter(([dx, dy]) => {
        const value = W.data.reduce((s, w, p) => s + (inView(p, -dx, -dy) ? 0.5 * w : 0), 0);
        return Math.abs(value - r.history[0]!) < 1e-12;
      });
      expect(drawn.length).toBe(1);
      const [dx, dy] = drawn[0]!;
      // Pixel i moved (by +lr) exactly when it landed in view, i.e. when i + (dx, dy) is.
      expect(moved, `seed ${seed}, shift (${dx}, ${dy})`).toEqual(moved.map((_, i) => (inView(i, dx, dy) ? 1 : 0)));
      seen.add(`${dx},${dy}`);
    }
    expect(seen.size).toBeGreaterThan(3); // the shifts do vary
  });

  it('is one loop: visualize = driving visualizeSteps = visualizeAsync, and a seed reproduces it', async () => {
    const options = { steps: 15, clamp: [0, 1] as const, jitter: 1, inputShape: [4, 4] as const, l1: 1e-3, seed: 9 };
    const a = units.visualize('mlp', params, units.dotCos(v), options);
    const b = await units.visualizeAsync('mlp', params, units.dotCos(v), options);
    const run = units.visualizeSteps('mlp', params, units.dotCos(v), options);
    let s = run.next();
    while (!s.done) s = run.next();
    for (const other of [b, s.value]) {
      expect(Array.from(other.input.data)).toEqual(Array.from(a.input.data));
      expect(Array.from(other.history)).toEqual(Array.from(a.history));
    }
  });

  it('stops on onProgress or an aborted signal and returns the input so far', () => {
    const seen: Progress<VisualizeStep>[] = [];
    const stopped = units.visualize('mlp', params, units.dot(v), { steps: 50, onProgress: (p) => { seen.push(p); return p.iteration === 5; } });
    expect([stopped.nIter, stopped.completed, seen.length, seen[4]!.cost]).toEqual([5, false, 5, seen[4]!.value]);
    const controller = new AbortController();
    controller.abort();
    const aborted = units.visualize('mlp', params, units.dot(v), { steps: 50, signal: controller.signal, init: [new Array(16).fill(0.25)] });
    expect([aborted.nIter, aborted.completed]).toEqual([0, false]);
    expect(Array.from(aborted.input.data)).toEqual(new Array(16).fill(0.25));
  });

  it('never modifies the parameters or the init matrix', () => {
    const init = [new Array(16).fill(0.5)];
    const before = params.map((l) => Array.from(l.weight.data));
    units.visualize('mlp', params, units.dot(v), { steps: 3, init });
    expect(init[0]).toEqual(new Array(16).fill(0.5));
    expect(params.map((l) => Array.from(l.weight.data))).toEqual(before);
  });

  it('rejects bad options and objectives', () => {
    const bad: Objective = () => ({ value: new Float64Array(2), gradient: { rows: 1, cols: 6, data: new Float64Array(6) } });
    expect(codeOf(() => units.visualize('mlp', params, bad, { steps: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => units.visualize('mlp', params, units.dot([1, 2]), { steps: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => units.visualize('mlp', params, units.dot(v), { jitter: 1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.visualize('mlp', params, units.dot(v), { clamp: [1, 0] }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.visualize('mlp', params, units.dot(v), { steps: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.visualize('mlp', params, units.dot(v), { init: [[1, 2]] }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => units.visualize('mlp', params, units.dot(v), { jiter: 1 } as never))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.visualize('mlp', params, 'dot' as never))).toBe('INVALID_INPUT');
    const custom: Net<{ W: Matrix }> = (p, x) => [ad.matmul(x, p.W)];
    expect(codeOf(() => units.visualize(custom, { W: params[0]!.weight }, units.dot(v)))).toBe('INVALID_OPTION'); // no inputShape
  });
});
