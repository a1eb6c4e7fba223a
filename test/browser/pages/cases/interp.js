// latentspace/interp in the browser test: a few distances, maps and geodesics on small
// deterministic Gaussians, compared between Chromium and Node on both backends. Short on
// purpose: Math.log, Math.exp, Math.sin may differ in the last bit between engines, and
// nothing here feeds one of them back into a long computation.
import { pattern } from '../suite.js';

/** B·Bᵀ/d + 0.5·I from the pattern rows: a positive definite (d × d) covariance. */
function spd(d, salt) {
  const B = pattern(d, d, salt);
  return B.map((ri) => B.map((rj, j) => ri.reduce((s, v, k) => s + v * rj[k], 0) / d + (ri === B[j] ? 0.5 : 0)));
}

export function interpCase(interp) {
  const d = 5;
  const mean0 = pattern(1, d, 901)[0], mean1 = pattern(1, d, 902)[0];
  const var0 = pattern(1, d, 903)[0].map((v) => 0.1 + v * v), var1 = pattern(1, d, 904)[0].map((v) => 0.1 + v * v);
  const f0 = { mean: mean0, cov: spd(d, 905) }, f1 = { mean: mean1, cov: spd(d, 906) };
  const d0 = { mean: mean0, variance: var0 }, d1 = { mean: mean1, variance: var1 };
  const same1 = { mean: mean0, cov: f1.cov };
  const map = interp.w2Map(f0, f1);
  const covOf = (g) => Array.from('cov' in g ? g.cov.data : g.variance);
  const batch = { mean: pattern(6, d, 907), variance: pattern(6, d, 908).map((r) => r.map((v) => 0.05 + v * v)) };
  const bary = interp.w2Barycenter([f0, f1, d0], [0.5, 0.3, 0.2]);
  return {
    'w2Distance full, diagonal': [interp.w2Distance(f0, f1), interp.w2Distance(d0, d1)],
    'fisherRaoDistance diagonal, equal-mean full': [interp.fisherRaoDistance(d0, d1), interp.fisherRaoDistance(f0, same1)],
    'w2Map A': Array.from(map.A.data),
    'w2Map b': Array.from(map.b),
    'w2Geodesic full cov': covOf(interp.w2Geodesic(f0, f1, 0.3)),
    'fisherRaoGeodesic diagonal': [...interp.fisherRaoGeodesic(d0, d1, 0.3).mean, ...covOf(interp.fisherRaoGeodesic(d0, d1, 0.3))],
    'fisherRaoGeodesic full cov': covOf(interp.fisherRaoGeodesic(f0, same1, 0.3)),
    'w2Barycenter cov, nIter': [...covOf(bary.barycenter), bary.nIter],
    'batches': [...interp.w2DistanceDiagonalBatch(batch, d1), ...interp.fisherRaoDistanceDiagonalBatch(batch, d1)],
    'slerp, path': [...interp.slerp(mean0, mean1, 0.3), ...interp.path(mean0, mean1, { steps: 3, method: 'spherical' }).data],
  };
}
