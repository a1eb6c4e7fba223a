// A SOM keeps X (and its float32 mirror), and the online method its block operands,
// resident in the WebAssembly memory for a whole fit: growth in the middle of a run must
// change nothing, and the regions must be given back, so that many fits (and the one-shot
// measures) leave the memory as they found it.
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import * as som from '../../src/som/index.js';
import { memoryBytes } from '../../src/wasm/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { probe, runGrowingMemory } from '../helpers/memory.js';

function random(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  const data = fill(new Float64Array(rows * cols), seed);
  // A constant column: the float32 mirror leaves it out.
  for (let i = 0; i < rows; i++) data[i * cols + 2] = 0.5;
  return { rows, cols, data };
}

describe.each(backendNames)('resident data in a SOM on the %s backend', (name) => {
  useBackendFor(name);

  it('memory grown in the middle of a run changes nothing (batch and online)', () => {
    // d ≥ 16 and float64: on WebAssembly both X and its float32 mirror are resident.
    const X = random(800, 24, 7);
    for (const method of ['batch', 'online'] as const) {
      const options = { width: 5, height: 4, epochs: 4, seed: 3, method };
      const whole = som.fit(X, options);
      expect(runGrowingMemory(som.steps(X, options), (step) => step.epoch === 2, name === 'wasm')).toEqual(whole);
    }
  });

  it('300 fits and measures leave the memory flat, whether they end, stop early, fail or are abandoned', () => {
    const X = random(300, 20, 11), X32 = { ...X, data: Float32Array.from(X.data) };
    const model = som.fit(X, { width: 4, height: 3, epochs: 2 });
    som.fit(X32, { width: 4, height: 3, epochs: 2, method: 'online' });
    const bytes = memoryBytes(), first = probe();
    for (let r = 0; r < 300; r++) {
      const data = r % 2 === 0 ? X : X32;
      const method = r % 3 === 0 ? 'online' as const : 'batch' as const;
      switch (r % 5) {
        case 0:
        case 1:
          som.fit(data, { width: 4, height: 3, epochs: 2, seed: r, method });
          break;
        case 2: {
          const it = som.steps(data, { width: 4, height: 3, seed: r, method });
          it.next();
          it.next(true);
          break;
        }
        case 3: {
          // Abandoned after one epoch: return() runs the generator's cleanup, as for-of does.
          const it = som.steps(data, { width: 4, height: 3, seed: r, method });
          it.next();
          it.return(undefined as never);
          break;
        }
        default:
          // A neighbourhood function that fails in the middle of the run, and the measures.
          expect(() => som.fit(data, { width: 4, height: 3, epochs: 2, method: 'online', neighborhood: () => NaN })).toThrow();
          som.quantizationError(model, data);
          som.topographicError(model, data);
          som.bmu(model, data);
      }
    }
    expect(memoryBytes()).toBe(bytes);
    expect(probe()).toBe(first);
  });
});
