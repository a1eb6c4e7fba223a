// Inputs shared by the benchmark files.
export { loadMnist, loadFaces } from '../examples/data.mjs';

/** The covariance XcᵀXc / (n − 1) of a row-major (n × d) matrix: centred in plain JS, XcᵀXc by `gram`. */
export function covariance({ rows: n, cols: d, data }, gram) {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const c = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c[i * d + j] = data[i * d + j] - mean[j];
  const S = gram({ rows: n, cols: d, data: c });
  for (let p = 0; p < S.data.length; p++) S.data[p] /= n - 1;
  return S;
}
