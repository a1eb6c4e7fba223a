// The autodiff case of the browser test: a tiny MLP (6-5-3, tanh, softmax cross-entropy
// plus half an mse) on deterministic data, its loss, output and gradients, and the
// parameters after two Adam steps, compared between Chromium and Node on both backends.
// The maps' Math.tanh/exp/log1p may differ in the last bit between engines; nothing here
// feeds them back through more than a few ops. Float64 only: the test also holds the
// WebAssembly backend's results to the TypeScript one's within 1e-8, and float32 GEMMs that
// sum in another order differ by ~1e-7 (float32 is compared with float64 on both backends
// in test/autodiff/torch.test.ts).
import { flatData, pattern } from '../suite.js';

/** A (rows × cols) pattern matrix times `s` (float64). */
function scaled(rows, cols, salt, s) {
  const m = flatData(pattern(rows, cols, salt));
  m.data.forEach((v, i) => { m.data[i] = v * s; });
  return m;
}

export function autodiffCase(ad) {
  const labels = [0, 2, 1, 1, 0, 2, 2, 1];
  const X = scaled(8, 6, 1001, 0.3), Y = scaled(8, 3, 1002, 0.2);
  const params = [
    { weight: scaled(6, 5, 1003, 0.15), bias: scaled(1, 5, 1004, 0.05) },
    { weight: scaled(5, 3, 1005, 0.15), bias: scaled(1, 3, 1006, 0.05) },
  ];
  let output;
  const loss = (p) => {
    const y = ad.mlp.apply(p, X, { activation: 'tanh' });
    output = Array.from(y.data);
    return ad.add(ad.softmaxCrossEntropy(y, labels), ad.scale(ad.mse(y, Y), 0.5));
  };
  const { value, grads } = ad.valueAndGrad(loss, params);
  const flat = (layers) => layers.flatMap((l) => [...l.weight.data, ...l.bias.data]);
  const out = { 'loss, output': [value, ...output], gradients: flat(grads) };
  const opt = ad.adam({ learningRate: 0.01 });
  const state = opt.init(params);
  for (let s = 0; s < 2; s++) opt.step(params, ad.valueAndGrad(loss, params).grads, state);
  out['after 2 Adam steps'] = flat(params);
  return out;
}
