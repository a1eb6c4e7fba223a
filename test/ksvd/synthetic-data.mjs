// The synthetic experiment of Aharon, Elad & Bruckstein (2006), shared by the K-SVD tests
// (which pass src/'s Random) and bench/ksvd.bench.mjs (which passes dist/'s): a random
// unit-norm dictionary, signals of `k` of its atoms with N(0, 1) weights, white noise at
// the given SNR; and the share of true atoms a learned dictionary recovers.

/**
 * @param {new (seed: number) => { fillNormal(a: Float64Array): void; normal(): number; sampleWithoutReplacement(n: number, k: number): ArrayLike<number> }} Random
 * @returns {{ D: { rows: number, cols: number, data: Float64Array }, X: { rows: number, cols: number, data: Float64Array } }}
 */
export function syntheticDictionary(Random, seed, nAtoms = 50, nFeatures = 20, nSamples = 1500, k = 3, snrDb = Infinity) {
  const rng = new Random(seed);
  const D = new Float64Array(nAtoms * nFeatures);
  for (let a = 0; a < nAtoms; a++) {
    const row = D.subarray(a * nFeatures, (a + 1) * nFeatures);
    rng.fillNormal(row);
    const n = Math.hypot(...row);
    for (let j = 0; j < nFeatures; j++) row[j] /= n;
  }
  const X = new Float64Array(nSamples * nFeatures);
  for (let i = 0; i < nSamples; i++) {
    for (const a of Array.from(rng.sampleWithoutReplacement(nAtoms, k))) {
      const c = rng.normal();
      for (let j = 0; j < nFeatures; j++) X[i * nFeatures + j] += c * D[a * nFeatures + j];
    }
  }
  if (Number.isFinite(snrDb)) {
    let power = 0;
    for (const v of X) power += v * v;
    const sigma = Math.sqrt(power / X.length / 10 ** (snrDb / 10));
    for (let t = 0; t < X.length; t++) X[t] += sigma * rng.normal();
  }
  return { D: { rows: nAtoms, cols: nFeatures, data: D }, X: { rows: nSamples, cols: nFeatures, data: X } };
}

/** Share of the true atoms with a learned atom at 1 − |cos| < 0.01. */
export function recovered(truth, learned) {
  const p = truth.cols;
  let found = 0;
  for (let a = 0; a < truth.rows; a++) {
    let best = 0;
    for (let b = 0; b < learned.rows; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += truth.data[a * p + j] * learned.data[b * p + j];
      best = Math.max(best, Math.abs(s));
    }
    if (1 - best < 0.01) found++;
  }
  return found / truth.rows;
}
