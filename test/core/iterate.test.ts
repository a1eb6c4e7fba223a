import { describe, expect, it } from 'vitest';
import { drive, driveAsync } from '../../src/core/index.js';

/** Counts up to `n`; stops early (returning how far it got) when next() receives true. */
function* counter(n: number): Generator<{ iteration: number }, { reached: number; stopped: boolean }, boolean | undefined> {
  for (let i = 1; i <= n; i++) {
    const stop = yield { iteration: i };
    if (stop === true) return { reached: i, stopped: true };
  }
  return { reached: n, stopped: false };
}

describe('drive / driveAsync', () => {
  it('run a generator to its end and pass every step to onProgress with cost and elapsed time', () => {
    const seen: number[] = [];
    const result = drive(counter(5), (s) => 10 * s.iteration, (p) => {
      expect(p.elapsed).toBeGreaterThanOrEqual(0);
      seen.push(p.cost);
    });
    expect(result).toEqual({ reached: 5, stopped: false });
    expect(seen).toEqual([10, 20, 30, 40, 50]);
  });

  it('stop when onProgress returns true, and still return the result so far', async () => {
    expect(drive(counter(100), () => 0, (p) => p.iteration === 3)).toEqual({ reached: 3, stopped: true });
    expect(await driveAsync(counter(100), () => 0, (p) => p.iteration === 4)).toEqual({ reached: 4, stopped: true });
  });

  it('driveAsync lets tasks queued before it run before its first step', async () => {
    let other = false;
    setImmediate(() => {
      other = true;
    });
    const seen: boolean[] = [];
    const pending = driveAsync(counter(3), () => 0, () => {
      seen.push(other);
    });
    // Nothing has run synchronously: the first step waits for the event loop.
    expect(seen).toEqual([]);
    await pending;
    expect(seen).toEqual([true, true, true]);
  });
});
