// latentspace/latent in the browser test: exact neighbours for the three metrics (the
// corpus against other queries and against itself; 20 columns, so the WebAssembly backend
// screens in float32 and measures the candidates again), analogies, arithmetic, few-shot
// labels and a valley path on a hand-made SOM, compared between Chromium and Node on both
// backends. Indices must agree exactly; the values are sums in a fixed order.
import { flatData, pattern } from '../suite.js';

export function latentCase(latent) {
  const E = flatData(pattern(70, 20, 1001));
  const Q = flatData(pattern(9, 20, 1002));
  const out = {};
  for (const metric of ['euclidean', 'cosine', 'dot']) {
    const r = latent.nearest(E, Q, { k: 4, metric, exclude: Array.from({ length: Q.rows }, (_, q) => [q, 2 * q]) });
    const self = latent.nearest(E, E, { k: 3, metric });
    out[`nearest ${metric} indices`] = [...r.indices, ...self.indices];
    out[`nearest ${metric} distances`] = [...r.distances, ...self.distances];
  }
  const add = latent.analogy(E, [0, 5, 9], [1, 6, 10], [2, 7, 11], { k: 3 });
  const mul = latent.analogy(E, [0, 5, 9], [1, 6, 10], [2, 7, 11], { k: 3, method: 'mul' });
  out['analogy add'] = [...add.indices, ...add.scores];
  out['analogy mul'] = [...mul.indices, ...mul.scores];
  const v = latent.attributeVector(flatData(pattern(6, 20, 1003)), flatData(pattern(5, 20, 1004)), { normalize: true });
  out['attributeVector, shift'] = [...v, ...latent.shift(Q, v, 0.5).data.subarray(0, 20)];
  out['styleShift k = 3'] = Array.from(latent.styleShift(E, flatData(pattern(12, 20, 1005)), Q, { k: 3 }).data);
  out['around, loop, project'] = [
    ...latent.around(Q.data.subarray(0, 20), 3, { radius: 0.5, seed: 4 }).data,
    ...latent.loop(Q.data.subarray(0, 20), E.data.subarray(0, 20), E.data.subarray(20, 40), { steps: 5, radius: 2 }).data,
    ...latent.project(Q, flatData(pattern(2, 20, 1006))).data,
  ];
  const landmarks = [0, 10, 20, 30, 40, 50, 60], labels = [1, 2, 1, 3, 2, 3, 1];
  for (const method of ['nearest', 'cluster', 'spread']) {
    const r = latent.fewShot(E, landmarks, labels, { method, k: method === 'cluster' ? 6 : 5, seed: 2 });
    out[`fewShot ${method}`] = [...r.labels, ...r.confidence, r.nIter];
  }
  // A 4 × 3 hexagonal map with a hand-made codebook (2 features).
  const weights = pattern(12, 2, 1007).flat();
  const model = {
    kind: 'som', width: 4, height: 3, topology: 'hexagonal', toroidal: false,
    weights: { rows: 12, cols: 2, data: Float64Array.from(weights) },
    quantizationErrors: new Float64Array(0), method: 'batch', nEpochs: 0, completed: true,
  };
  const path = latent.valleyPath(model, weights.slice(0, 2), weights.slice(22, 24));
  const path2 = latent.valleyPath(model, weights.slice(0, 2), weights.slice(22, 24), { weights: 'umatrix' });
  out.valleyPath = [...path.units, path.cost, ...path2.units, path2.cost];
  return out;
}
