import { describe, expect, it, vi } from 'vitest';
import { LatentSpaceError } from '../../src/core/errors.js';
import { setKernels } from '../../src/linalg/backend.js';
import * as tsne from '../../src/tsne/index.js';
import { initSync, useBackend } from '../../src/wasm/index.js';
import { codeOf } from '../helpers/errors.js';
import { blobs } from './data.js';

/** Share of points whose nearest neighbour in the map has their label. */
function neighbourAccuracy(E: { rows: number; cols: number; data: Float64Array }, labels: Int32Array): number {
  let hits = 0;
  for (let i = 0; i < E.rows; i++) {
    let best = -1, bestD = Infinity;
    for (let j = 0; j < E.rows; j++) {
      if (j === i) continue;
      let d = 0;
      for (let c = 0; c < E.cols; c++) d += (E.data[i * E.cols + c]! - E.data[j * E.cols + c]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (labels[best] === labels[i]) hits++;
  }
  return hits / E.rows;
}

const X = blobs(4, 40, 10, 6, 1);

describe('t-SNE', () => {
  for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
    it(`separates clusters and lowers the KL divergence after exaggeration (${method})`, () => {
      const kls: [number, number][] = [];
      // The 2-D FFT's grid (at least 162 × 162 nodes) costs the same for 160 points as for
      // 10,000: a shorter run keeps the test fast.
      const early = method === 'fft' ? 70 : 250, nIter = method === 'fft' ? 120 : 500;
      const model = tsne.fit(X, {
        method, perplexity: 10, nIter, earlyExaggerationIter: early, seed: 1,
        onProgress: (s) => { if (s.iteration % 50 === 0) kls.push([s.iteration, s.kl]); },
      });
      expect(model.kind).toBe('tsne');
      expect(model.method).toBe(method);
      expect([model.embedding.rows, model.embedding.cols, model.nIter, model.completed]).toEqual([160, 2, nIter, true]);
      expect(model.embedding.data.every(Number.isFinite)).toBe(true);
      expect(neighbourAccuracy(model.embedding, X.labels)).toBeGreaterThan(0.97);
      const after = kls.filter(([it]) => it > early).map(([, kl]) => kl);
      expect(after.length).toBe((nIter - early) / 50);
      for (let t = 1; t < after.length; t++) expect(after[t]).toBeLessThanOrEqual(after[t - 1]! + 1e-9);
      expect(model.kl).toBeLessThan(after[0]!);
      expect(model.kl).toBeGreaterThan(0);
    });
  }

  it('embeds in 1 and 3 dimensions', () => {
    for (const [nComponents, method] of [[1, 'fft'], [1, 'barnes-hut'], [3, 'barnes-hut'], [3, 'exact']] as const) {
      const m = tsne.fit(X, { nComponents, method, perplexity: 10, nIter: 300, seed: 2 });
      expect(m.embedding.cols).toBe(nComponents);
      expect(m.embedding.data.every(Number.isFinite)).toBe(true);
      expect(neighbourAccuracy(m.embedding, X.labels)).toBeGreaterThan(0.9);
    }
  });

  it('is deterministic: the same seed gives the same bits', () => {
    const a = tsne.fit(X, { perplexity: 8, nIter: 120, init: 'random', seed: 5 });
    const b = tsne.fit(X, { perplexity: 8, nIter: 120, init: 'random', seed: 5 });
    const c = tsne.fit(X, { perplexity: 8, nIter: 120, init: 'random', seed: 6 });
    expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data));
    expect(Array.from(a.embedding.data)).not.toEqual(Array.from(c.embedding.data));
  });

  it('gives the same embedding on both backends to 1e-9', () => {
    for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
      const run = (): Float64Array => tsne.fit(X, { method, perplexity: 10, nIter: method === 'fft' ? 40 : 300, seed: 3 }).embedding.data;
      let a: Float64Array, b: Float64Array;
      try {
        useBackend('js');
        a = run();
        initSync();
        useBackend('wasm');
        b = run();
      } finally {
        setKernels(undefined);
      }
      let worst = 0, scale = 0;
      for (let p = 0; p < a.length; p++) {
        worst = Math.max(worst, Math.abs(a[p]! - b[p]!));
        scale = Math.max(scale, Math.abs(a[p]!));
      }
      expect(worst / scale).toBeLessThan(1e-9);
    }
  });

  it('steps yields every iteration (or every yieldEvery), and next(true) stops with the embedding so far', () => {
    const it1 = tsne.steps(X, { nIter: 30, perplexity: 10, yieldEvery: 7 });
    const seen: number[] = [];
    let r = it1.next();
    while (!r.done) {
      seen.push(r.value.iteration);
      expect(r.value.exaggeration).toBe(12);
      r = it1.next();
    }
    expect(seen).toEqual([7, 14, 21, 28, 30]);
    expect(r.value.nIter).toBe(30);
    const it2 = tsne.steps(X, { nIter: 100, perplexity: 10 });
    let s = it2.next();
    let last: Float64Array | undefined;
    while (!s.done) {
      last = s.value.embedding.data;
      s = it2.next(s.value.iteration === 12);
    }
    expect([s.value.nIter, s.value.completed]).toEqual([12, false]);
    expect(Array.from(s.value.embedding.data)).toEqual(Array.from(last!));
  });

  it('onProgress reports the KL every 50 iterations, the time since the start, and can stop the run', () => {
    const measured = new Set<number>();
    let previous = NaN;
    // A clock of our own that only onProgress moves, 10 ms a call: iteration i sees 10·(i − 1).
    let clock = 3000;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const elapsed: number[] = [];
    let model: tsne.TsneModel;
    try {
      model = tsne.fit(X, {
        nIter: 400, perplexity: 10,
        onProgress: (p) => {
          if (p.kl !== previous) measured.add(p.iteration);
          previous = p.kl;
          expect(p.cost).toBe(p.kl);
          if (p.elapsed !== 10 * (p.iteration - 1)) elapsed.push(p.iteration);
          clock += 10;
          return p.iteration === 260;
        },
      });
    } finally {
      spy.mockRestore();
    }
    expect(elapsed).toEqual([]); // iterations whose elapsed time was wrong
    expect([...measured].every((i) => i === 1 || i % 50 === 0)).toBe(true);
    expect([model.nIter, model.completed]).toEqual([260, false]);
  });

  it('fitAsync yields to the event loop and an abort returns the embedding so far', async () => {
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 0);
    const model = await tsne.fitAsync(X, {
      nIter: 1000, perplexity: 10, signal: controller.signal,
      onProgress: (p) => { if (p.iteration === 40) controller.abort(); },
    });
    clearInterval(timer);
    expect([model.nIter, model.completed]).toEqual([40, false]);
    expect(ticks).toBeGreaterThan(0);
    expect(model.embedding.data.every(Number.isFinite)).toBe(true);
  });

  it('optimize continues a run without touching the model it was given', () => {
    const model = tsne.fit(X, { nIter: 300, perplexity: 10, seed: 1 });
    const before = Array.from(model.embedding.data);
    const more = tsne.optimize(model, { nIter: 200 });
    expect(Array.from(model.embedding.data)).toEqual(before);
    expect(more.nIter).toBe(500);
    expect(more.kl).toBeLessThan(model.kl);
    // Stopping after 300 and continuing for 200 lands near a straight run of 500.
    const straight = tsne.fit(X, { nIter: 500, perplexity: 10, seed: 1 });
    expect(Math.abs(more.kl - straight.kl)).toBeLessThan(0.1);
    expect(tsne.optimize(model, { nIter: 10, method: 'exact' }).method).toBe('exact');
  });

  it('survives toJSON / load bit for bit and load checks the model', () => {
    const model = tsne.fit(X, { nIter: 60, perplexity: 10 });
    const back = tsne.load(tsne.toJSON(model));
    expect(Array.from(back.embedding.data)).toEqual(Array.from(model.embedding.data));
    expect(Array.from(back.affinities.val)).toEqual(Array.from(model.affinities.val));
    expect(back.kl).toBe(model.kl);
    expect(codeOf(() => tsne.load({ ...model, kind: 'pca' }))).toBe('INVALID_MODEL');
    expect(codeOf(() => tsne.load({ ...model, affinities: { ...model.affinities, col: new Int32Array([-1]) } }))).toBe('INVALID_MODEL');
    expect(codeOf(() => tsne.load({ ...model, method: 'magic' }))).toBe('INVALID_MODEL');
    expect(Object.isFrozen(back)).toBe(true);
    expect(structuredClone(model).embedding.data).toEqual(model.embedding.data);
  });

  it('accepts init as a matrix, random, or PCA scaled to standard deviation 1e-4', () => {
    const steps = tsne.steps(X, { nIter: 1, perplexity: 10, learningRate: 1e-12 });
    const first = steps.next().value as tsne.TsneStep;
    let mean = 0, v = 0;
    for (let i = 0; i < 160; i++) mean += first.embedding.data[2 * i]! / 160;
    for (let i = 0; i < 160; i++) v += (first.embedding.data[2 * i]! - mean) ** 2 / 160;
    expect(Math.sqrt(v)).toBeCloseTo(1e-4, 8);
    const init = Array.from({ length: 160 }, (_, i) => [i % 7, Math.floor(i / 7)]);
    const m = tsne.fit(X, { nIter: 0, init, perplexity: 10 });
    expect(Array.from(m.embedding.data)).toEqual(init.flat());
    expect(init[3]).toEqual([3, 0]); // not modified
  });

  it("cosine metric ignores the rows' lengths", () => {
    const scaled = { rows: X.rows, cols: X.cols, data: X.data.map((v, p) => v * (1 + (Math.floor(p / X.cols) % 3))) };
    const a = tsne.fit(X, { metric: 'cosine', nIter: 0, perplexity: 10 }).affinities.val;
    const b = tsne.fit(scaled, { metric: 'cosine', nIter: 0, perplexity: 10 }).affinities.val;
    const c = tsne.fit(X, { metric: 'euclidean', nIter: 0, perplexity: 10 }).affinities.val;
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let p = 0; p < a.length; p++) worst = Math.max(worst, Math.abs(a[p]! - b[p]!) / Math.max(a[p]!, 1e-300));
    expect(worst).toBeLessThan(1e-9);
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(codeOf(() => tsne.fit([[0, 0], [1, 0], [0, 1], [1, 1], [2, 1]], { metric: 'cosine', perplexity: 1 }))).toBe('INVALID_INPUT');
  });

  it('copes with duplicate points', () => {
    const data = new Float64Array(60 * 3);
    for (let i = 0; i < 60; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = i < 20 ? 1 : Math.sin(i * (c + 1));
    for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
      const m = tsne.fit({ rows: 60, cols: 3, data }, { perplexity: 5, nIter: method === 'fft' ? 60 : 300, method });
      expect(m.embedding.data.every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(m.kl)).toBe(true);
    }
    const same = tsne.fit({ rows: 10, cols: 2, data: new Float64Array(20) }, { perplexity: 2, nIter: 100, init: 'random' });
    expect(same.embedding.data.every(Number.isFinite)).toBe(true);
  });

  it('rejects bad input and options with clear messages', () => {
    const small = blobs(1, 20, 3, 1, 2);
    const e = (() => { try { tsne.fit(small, { perplexity: 7 }); } catch (err) { return err as LatentSpaceError; } return undefined; })();
    expect(e?.code).toBe('INVALID_OPTION');
    expect(e?.message).toContain('(n − 1) / 3 = 6.3333');
    expect(codeOf(() => tsne.fit(small, { perplexity: 6.3 }))).toBeUndefined();
    expect(codeOf(() => tsne.fit([[0], [1], [2]], { perplexity: 0.5 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => tsne.fit([[0], [NaN], [2], [3], [4]]))).toBe('NON_FINITE');
    expect(codeOf(() => tsne.steps(X, { method: 'magic' as 'fft' }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.steps(X, { method: 'fft', nComponents: 3 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.steps(X, { nComponents: 4 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.steps(X, { theta: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.steps(X, { learningRate: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.steps(X, { init: [[1, 2]] }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => tsne.steps(X, { init: 'spectral' as 'pca' }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.steps(X, { metric: 'manhattan' as 'cosine' }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tsne.fit([[0], [1], [2], [3], [4], [5], [6]], { perplexity: 1, nComponents: 2 }))).toBe('INVALID_OPTION');
  });

  it('auto picks exact for small n, then FFT in 1-D and Barnes-Hut in 2-D and 3-D', () => {
    expect(tsne.autoMethod(499, 2)).toBe('exact');
    expect(tsne.autoMethod(500, 2)).toBe('barnes-hut');
    expect(tsne.autoMethod(500, 1)).toBe('fft');
    expect(tsne.autoMethod(2500, 2)).toBe('barnes-hut');
    expect(tsne.autoMethod(100000, 2)).toBe('barnes-hut');
    expect(tsne.autoMethod(10000, 3)).toBe('barnes-hut');
    expect(tsne.fit(X, { nIter: 1, perplexity: 10 }).learningRate).toBe(50);
    expect(tsne.fit(X, { nIter: 1, perplexity: 10, learningRate: 'auto', earlyExaggeration: 0.5 }).learningRate).toBe(80);
  });
});
