/**
 * `latentspace/som`: self-organizing maps (Kohonen) and the U-matrix. A SOM lays a latent
 * space out on a grid of units so a person can see its clusters and the borders between
 * them; the U-matrix shows the borders as bright ridges.
 *
 * ```ts
 * import * as som from 'latentspace/som';
 * const model = som.fit(X, { width: 20, height: 20, topology: 'hexagonal', seed: 0 });
 * const units = som.bmu(model, X);                        // Int32Array: best-matching unit of each row
 * const U = som.uMatrix(model);                           // (height × width): mean distance to neighbours
 * const Ui = som.uMatrix(model, { interstitial: true });  // (2h − 1) × (2w − 1), the between-unit cells too
 * const img = som.render(model, U, { cellSize: 12 });     // { width, height, rgba }: hexagons drawn as hexagons
 * ```
 *
 * Conventions: unit index = row · width + column, row 0 first; a hexagonal map has offset
 * rows as R's kohonen (rows 0, 2, 4, … shifted half a unit to the right; see {@link Topology}).
 *
 * @packageDocumentation
 */
export { fit, fitAsync, steps } from './fit.js';
export type { SomOptions, SomStep, SomInit, Schedule } from './fit.js';
export { bmu, quantizationError, topographicError, hitMap, componentPlane, labelMap } from './measures.js';
export { uMatrix, distanceMap } from './umatrix.js';
export type { UMatrixOptions } from './umatrix.js';
export { render } from './render.js';
export type { RenderOptions } from './render.js';
export { load } from './model.js';
export type { SomModel, Method } from './model.js';
export { unitPositions, gridDistances, neighbours } from './topology.js';
export type { Topology, Neighborhood, NeighborhoodFunction, Neighbours, GridShape } from './topology.js';
export type { Decay } from './math.js';
export type { Progress, OnProgress } from '../core/iterate.js';
export type { RgbaImage, Color } from '../image/grid.js';
export type { ColormapName } from '../image/colormap.js';
export { toJSON } from '../core/json.js';
