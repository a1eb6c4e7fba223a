// latentspace/som against R's kohonen 3.0.11 on small maps: grid positions and distances,
// best-matching units, the U-matrix, the topographic error, and one batch epoch.
// Fixture: test/fixtures/som/kohonen.json, made by test/fixtures/som/make-fixtures.R.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as som from '../../src/som/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

interface Case {
  name: string;
  width: number;
  height: number;
  topology: 'rectangular' | 'hexagonal';
  toroidal: boolean;
  codes: number[];
  positions: number[];
  gridDistances: number[] | null;
  bmu: number[];
  bmuSqDist: number[];
  uMatrix: number[];
  topographicError: number;
  batch?: { radius: number; codes: number[] };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/som/kohonen.json', import.meta.url), 'utf8')) as {
  X: number[]; rows: number; cols: number; cases: Case[];
};
const X = { rows: fixture.rows, cols: fixture.cols, data: Float64Array.from(fixture.X) };

/** A model holding the case's codebook, through load (as a saved model would come back). */
function modelOf(c: Case): som.SomModel {
  return som.load({
    kind: 'som', width: c.width, height: c.height, topology: c.topology, toroidal: c.toroidal,
    weights: { rows: c.width * c.height, cols: fixture.cols, data: Float64Array.from(c.codes) },
    quantizationErrors: new Float64Array(0), method: 'batch', nEpochs: 0, completed: true,
  });
}

describe.each(backendNames)('against kohonen on the %s backend', (backend) => {
  useBackendFor(backend);

  describe.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const model = modelOf(c);

    it('unit positions: kohonen\'s somgrid, shifted to start at row 0', () => {
      const pos = som.unitPositions(model);
      // kohonen numbers rows from 1 (y = 1, or √3/2 on a hexagonal map); the fixture subtracted 1.
      const rowStep = c.topology === 'hexagonal' ? Math.sqrt(3) / 2 : 1;
      for (let u = 0; u < c.width * c.height; u++) {
        expect(pos[2 * u]).toBeCloseTo(c.positions[2 * u]!, 12);
        expect(pos[2 * u + 1]).toBeCloseTo(c.positions[2 * u + 1]! + 1 - rowStep, 12);
      }
    });

    // Registered only where the comparison means something: kohonen's unit.distances for
    // rectangular grids are not the Euclidean grid distance (the fixture stores null there),
    // and the batch epoch was recorded for some maps only.
    if (c.gridDistances !== null) it('grid distances equal unit.distances (hexagonal: both Euclidean)', () => {
      const G = som.gridDistances(model);
      const ref = c.gridDistances!;
      expect(G.length).toBe(ref.length);
      for (let p = 0; p < ref.length; p++) expect(G[p]).toBeCloseTo(ref[p]!, 12);
    });

    it('best-matching units and quantization error equal map()', () => {
      expect(Array.from(som.bmu(model, X))).toEqual(c.bmu);
      const qe = c.bmuSqDist.reduce((s, v) => s + Math.sqrt(v), 0) / c.bmuSqDist.length;
      expect(som.quantizationError(model, X)).toBeCloseTo(qe, 12);
    });

    it('U-matrix per unit equals plot.kohUmatrix\'s neighbour distances', () => {
      const U = som.uMatrix(model);
      expect([U.rows, U.cols]).toEqual([c.height, c.width]);
      for (let u = 0; u < c.uMatrix.length; u++) expect(U.data[u]).toBeCloseTo(c.uMatrix[u]!, 12);
      expect(Array.from(som.distanceMap(model).data)).toEqual(Array.from(U.data));
    });

    it('topographic error', () => {
      expect(som.topographicError(model, X)).toBeCloseTo(c.topographicError, 15);
    });

    if (c.batch !== undefined) it('one batch epoch with the bubble neighbourhood equals kohonen\'s batch som', () => {
      const fitted = som.fit(X, {
        width: c.width, height: c.height, topology: c.topology, toroidal: c.toroidal,
        init: { rows: c.width * c.height, cols: fixture.cols, data: Float64Array.from(c.codes) },
        method: 'batch', epochs: 1, neighborhood: 'bubble', sigma: c.batch!.radius,
      });
      const ref = c.batch!.codes;
      for (let p = 0; p < ref.length; p++) expect(fitted.weights.data[p]).toBeCloseTo(ref[p]!, 12);
    });
  });
});
