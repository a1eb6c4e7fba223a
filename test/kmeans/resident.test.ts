// k-means keeps X (and its float32 mirror) resident in the WebAssembly memory for a whole
// fit: growth in the middle of a run must change nothing, and the regions must be given
// back, so that many fits leave the memory as they found it.
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import * as kmeans from '../../src/kmeans/index.js';
import { memoryBytes } from '../../src/wasm/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { probe, runGrowingMemory } from '../helpers/memory.js';

function random(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  return { rows, cols, data: fill(new Float64Array(rows * cols), seed) };
}

describe.each(backendNames)('resident data in k-means on the %s backend', (name) => {
  useBackendFor(name);

  it('memory grown in the middle of a run changes nothing', () => {
    // d ≥ 16 and float64: on WebAssembly both X and its float32 mirror are resident.
    for (const [algorithm, grid] of [['lloyd', false], ['lloyd', true], ['elkan', false], ['hamerly', false]] as const) {
      // On a grid (pixels / 255), the int16 copy replaces the float32 mirror.
      const X = random(3000, 40, 7);
      if (grid) X.data.forEach((v, p) => (X.data[p] = Math.round((v + 1) * 127.5) / 255));
      const options = { k: 6, seed: 3, algorithm, tol: 0, maxIter: 12, init: 'random' as const, nInit: 2 };
      const whole = kmeans.fit(X, options);
      const grown = runGrowingMemory(kmeans.steps(X, options), (step) => step.run === 0 && step.iteration === 2, name === 'wasm');
      expect(grown).toEqual(whole);
    }
  });

  it('1000 fits leave the memory flat, whether they end, stop early or are abandoned', () => {
    const X = random(300, 24, 11), X32 = { ...X, data: Float32Array.from(X.data) };
    kmeans.fit(X, { k: 4, seed: 1 });
    kmeans.fit(X32, { k: 4, seed: 1 });
    // Memory grown by an earlier test could hide a leak: the first free address shows it.
    const bytes = memoryBytes(), first = probe();
    for (let r = 0; r < 1000; r++) {
      const data = r % 2 === 0 ? X : X32;
      switch (r % 4) {
        case 0:
        case 1:
          kmeans.fit(data, { k: 4, seed: r, maxIter: 5 });
          break;
        case 2: {
          const it = kmeans.steps(data, { k: 4, seed: r });
          it.next();
          it.next(true);
          break;
        }
        default: {
          // Abandoned after one step: return() runs the generator's cleanup, as for-of does.
          const it = kmeans.steps(data, { k: 4, seed: r, algorithm: 'hamerly' });
          it.next();
          it.return(undefined as never);
        }
      }
    }
    expect(memoryBytes()).toBe(bytes);
    expect(probe()).toBe(first);
  });
});
