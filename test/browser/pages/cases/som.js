// The SOM case of the browser test: a small deterministic run of latentspace/som (batch on
// a hexagonal map, online on a rectangular torus) and the measures on the result. The
// neighbourhood function's exp is portable (the same bits in every engine), so only the
// kernels' rounding can differ between Chromium and Node; the runs are short.
import { flatData, pattern } from '../suite.js';

export function somCase(som) {
  // 20 features: on WebAssembly the distances are screened in float32 and close calls rechecked.
  const X = flatData(pattern(80, 20, 801));
  const batch = som.fit(X, { width: 5, height: 4, topology: 'hexagonal', epochs: 4, seed: 1 });
  const online = som.fit(X, { width: 3, height: 3, toroidal: true, method: 'online', epochs: 2, init: 'sample', seed: 2 });
  return {
    'batch weights': Array.from(batch.weights.data),
    'batch quantizationErrors': Array.from(batch.quantizationErrors),
    'online weights': Array.from(online.weights.data),
    bmu: Array.from(som.bmu(batch, X)),
    'uMatrix interstitial': Array.from(som.uMatrix(batch, { interstitial: true }).data),
    measures: [som.quantizationError(batch, X), som.topographicError(batch, X), som.topographicError(online, X)],
    hitMap: Array.from(som.hitMap(online, X)),
    render: Array.from(som.render(batch, som.uMatrix(batch), { cellSize: 3 }).rgba.subarray(0, 400)),
  };
}
