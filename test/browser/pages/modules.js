// The capability modules (pca, kmeans, metrics, omp, ksvd, …; newer ones in ./cases/) run on small deterministic data, once per backend, in
// the page and in Node; the test compares the two. Each case returns named arrays of
// numbers. Plain JavaScript, loaded as is by the browser; modules.d.ts types it.
import { flatData, pattern } from './suite.js';
import { autodiffCase } from './cases/autodiff.js';
import { interpCase } from './cases/interp.js';
import { latentCase } from './cases/latent.js';
import { somCase } from './cases/som.js';
import { tsneCase } from './cases/tsne.js';
import { unitsCase } from './cases/units.js';
import { vaeCase } from './cases/vae.js';

/** The module entry points the suite needs, as paths under /dist/ (browser) or dist/ (Node). */
export const moduleNames = ['pca', 'kmeans', 'metrics', 'omp', 'ksvd', 'som', 'tsne', 'interp', 'latent', 'units', 'autodiff', 'vae'];

/** Rows of `rows` scaled to unit norm (a dictionary's atoms). */
function unitRows(rows) {
  return rows.map((r) => {
    const norm = Math.hypot(...r);
    return r.map((v) => v / norm);
  });
}

const cases = {
  autodiff: autodiffCase,
  interp: interpCase,
  latent: latentCase,
  som: somCase,
  tsne: tsneCase,
  units: unitsCase,
  vae: vaeCase,
  ksvd: (ksvd) => {
    const X = flatData(pattern(60, 10, 501));
    const model = ksvd.fit(X, { nAtoms: 12, nNonzero: 3, maxIter: 5, seed: 2 });
    return {
      dictionary: Array.from(model.dictionary.data),
      errors: Array.from(model.errors),
      incremental: Array.from(ksvd.incremental(model, Array.from(X.data.subarray(0, 10))).data),
    };
  },
  omp: (omp) => {
    const D = flatData(unitRows(pattern(30, 12, 401)));
    const X = flatData(pattern(15, 12, 402));
    const byCount = omp.encode(D, X, { nNonzero: 4 });
    const byTol = omp.encode(D, X, { tol: 0.5 });
    const lasso = omp.lasso(D, X, { alpha: 0.01 });
    return {
      'nNonzero codes': Array.from(byCount.codes.data),
      'tol codes': Array.from(byTol.codes.data),
      'tol atoms': Array.from(byTol.nIter),
      'lasso codes': Array.from(lasso.codes.data),
    };
  },
  pca: (pca) => {
    const X = flatData(pattern(40, 12, 101));
    const out = {};
    for (const solver of ['full', 'covariance', 'randomized']) {
      const model = pca.fit(X, { nComponents: 4, solver, seed: 5 });
      out[`${solver} explainedVariance`] = Array.from(model.explainedVariance);
      out[`${solver} components`] = Array.from(model.components.data);
      out[`${solver} transform`] = Array.from(pca.transform(model, X).data.subarray(0, 20));
    }
    const incremental = pca.partialFit(pca.partialFit(undefined, flatData(pattern(20, 12, 101)), { nComponents: 4 }), flatData(pattern(20, 12, 102)));
    out['partialFit explainedVariance'] = Array.from(incremental.explainedVariance);
    out['score'] = [pca.score(pca.fit(X, { nComponents: 3 }), X)];
    return out;
  },
  kmeans: (kmeans) => {
    const X = flatData(pattern(120, 20, 201));
    const out = {};
    for (const algorithm of ['lloyd', 'elkan', 'hamerly']) {
      const m = kmeans.fit(X, { k: 5, seed: 3, algorithm });
      out[`${algorithm} labels`] = Array.from(m.labels);
      out[`${algorithm} centroids`] = Array.from(m.centroids.data);
      out[`${algorithm} inertia, nIter`] = [m.inertia, m.nIter];
    }
    const mb = kmeans.miniBatch(X, { k: 5, batchSize: 32, seed: 3 });
    out['miniBatch centroids'] = Array.from(mb.centroids.data);
    out['transform'] = Array.from(kmeans.transform(mb, X).data.subarray(0, 20));
    return out;
  },
  metrics: (metrics) => {
    // √ perturbations leave no two distances equal: tied distances could rank differently
    // after each backend's rounding, which trustworthiness would see.
    const X = flatData(pattern(60, 6, 301).map((row, i) => row.map((v, j) => v + 1e-3 * Math.sqrt(i * 6 + j + 2))));
    const E = flatData(pattern(60, 2, 302).map((row, i) => row.map((v, j) => v + 1e-3 * Math.sqrt(i * 2 + j + 3))));
    const labels = Array.from({ length: 60 }, (_, i) => (i * 7) % 4);
    const other = Array.from({ length: 60 }, (_, i) => (i * 5) % 3);
    return {
      silhouette: Array.from(metrics.silhouetteSamples(X, labels)),
      scores: [metrics.adjustedRandIndex(labels, other), metrics.normalizedMutualInfo(labels, other),
        metrics.homogeneityCompletenessVMeasure(labels, other).vMeasure, metrics.daviesBouldin(X, labels),
        metrics.calinskiHarabasz(X, labels), metrics.trustworthiness(X, E, { k: 5 })],
    };
  },
};

/** Runs every module case on the active backend; errors are reported, not thrown. */
function runAll(mods) {
  const results = {};
  for (const name of moduleNames) {
    try {
      results[name] = { ok: true, value: cases[name](mods[name]) };
    } catch (e) {
      results[name] = { ok: false, error: String((e && e.stack) || e) };
    }
  }
  return results;
}

/** Module results on WebAssembly (when `init()` allows it) and on the TypeScript backend. */
export async function runModules(mods, wasm) {
  await wasm.init();
  const active = wasm.backend();
  const first = runAll(mods);
  wasm.useBackend('js');
  const js = runAll(mods);
  if (active === 'wasm') wasm.useBackend('wasm');
  return { [active]: first, ...(active === 'js' ? {} : { js }) };
}
