import { describe, expect, it, vi } from 'vitest';
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
      seen.push(p.cost);
    });
    expect(result).toEqual({ reached: 5, stopped: false });
    expect(seen).toEqual([10, 20, 30, 40, 50]);
  });

  it('elapsed is the time since the run began, in milliseconds of performance.now', async () => {
    // A clock of our own: step i takes 10·i ms, and each onProgress call 1 ms; time before
    // the run (the clock starts at 5000) does not count.
    let clock = 5000;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    function* timed(): Generator<{ iteration: number }, number, boolean | undefined> {
      for (let i = 1; i <= 4; i++) {
        clock += 10 * i;
        yield { iteration: i };
      }
      return 4;
    }
    try {
      const sync: number[] = [];
      drive(timed(), () => 0, (p) => { sync.push(p.elapsed); clock += 1; });
      expect(sync).toEqual([10, 31, 62, 103]);
      clock = 7000;
      const async: number[] = [];
      await driveAsync(timed(), () => 0, (p) => { async.push(p.elapsed); clock += 1; });
      expect(async).toEqual([10, 31, 62, 103]);
    } finally {
      spy.mockRestore();
    }
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
