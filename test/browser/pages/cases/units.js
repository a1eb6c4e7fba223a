// latentspace/units in the browser test: the plain-data analyses, every direction objective,
// the network functions on a small float64 ReLU network built from the pattern rows (no
// autodiff import needed: 'mlp' runs it), and a short feature visualisation, compared
// between Chromium and Node on both backends. Short on purpose: the only transcendental
// functions are in the softmax of gradientProfile and in isotropy's Gaussian draws
// (Random's own portable log), and nothing feeds them back into a long run.
import { flatData, pattern } from '../suite.js';

/** A dense layer (inputs × outputs) from pattern rows, scaled down to keep activations moderate. */
function layer(inputs, outputs, salt) {
  const W = flatData(pattern(inputs, outputs, salt).map((r) => r.map((v) => v / (2 * inputs))));
  const b = flatData(pattern(1, outputs, salt + 1).map((r) => r.map((v) => v / 10)));
  return { weight: W, bias: b };
}

export function unitsCase(units) {
  const n = 24, d = 9;
  const X = flatData(pattern(n, d, 1101));
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const params = [layer(d, 7, 1102), layer(7, 3, 1104)];
  const A = units.activations('mlp', params, X, { layer: 0 });
  const H = flatData(pattern(5, 7, 1106));
  const v = pattern(1, 7, 1107)[0];
  // Symmetric and diagonally dominant: positive definite.
  const covariance = flatData(Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === j ? 2 + i / 7 : 0.1 / (1 + i + j)))));
  const objectives = [
    units.dot(v), units.cosine(v), units.dotCos(v), units.dotCos(v, { power: 1, floor: -1 }),
    units.dotOrthogonalPenalty(v, { weight: 0.5 }), units.l2(v), units.innerProduct(flatData(pattern(3, 7, 1108))),
    units.whitened(units.dotCos(v, { power: 2 }), covariance),
  ];
  const iso = units.isotropy(A, labels, { rotations: 4, seed: 3 });
  const ablation = units.ablate('mlp', params, X, labels, { units: [1, 4] });
  const shown = units.visualize('mlp', params, units.dotCos(v), { steps: 12, clamp: [-1, 1], jitter: 1, inputShape: [3, 3], l1: 1e-3, init: 2, seed: 5 });
  return {
    'activations, classProfile': [...A.data, ...units.classProfile(A, labels).data],
    'selectivity, topActivating': [...units.selectivity(A, labels), ...units.topActivating(A, 2, 5)],
    rectifiedMean: [...units.rectifiedMean(A, X, 0), ...units.rectifiedMean(A, X, 3, { threshold: 0.1 })],
    isotropy: [...iso.rotated.data, iso.fraction],
    objectives: objectives.flatMap((f) => { const r = f(H); return [...r.value, ...r.gradient.data]; }),
    gradientProfile: [...units.gradientProfile('mlp', params, X, labels).data, ...units.gradientProfile('mlp', params, X, labels, { layer: -1 }).data],
    ablate: [...ablation.before, ...ablation.after],
    visualize: [...shown.input.data, ...shown.history],
  };
}
