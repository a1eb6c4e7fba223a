// Adam's update (torch.optim.Adam's rule, as src/linalg/kernels/adam.ts): float64 two entries
// at a time in f64x2 lanes, float32 four at a time in f32x4 lanes (float32 arithmetic, as
// PyTorch's float32 tensors). Both backends give the same bits: every operation is an
// IEEE-754 operation of the same precision in the same order, and sqrt and div are
// correctly rounded like Math.sqrt and / (for float32, rounded by Math.fround).

/** One Adam step over n contiguous float64 entries: p, m and v are updated in place. */
export function dadam(n: i32, p: usize, g: usize, m: usize, v: usize, stepSize: f64, invCorrection2: f64, beta1: f64, beta2: f64, epsilon: f64, weightDecay: f64): void {
  const o1 = f64x2.splat(1 - beta1), o2 = f64x2.splat(1 - beta2), b2 = f64x2.splat(beta2);
  const s = f64x2.splat(stepSize), ic = f64x2.splat(invCorrection2), eps = f64x2.splat(epsilon), wd = f64x2.splat(weightDecay);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const pj = v128.load(p + o, 0, 8);
    const d = f64x2.add(v128.load(g + o, 0, 8), f64x2.mul(wd, pj));
    const m0 = v128.load(m + o, 0, 8);
    const m1 = f64x2.add(m0, f64x2.mul(o1, f64x2.sub(d, m0)));
    const v1 = f64x2.add(f64x2.mul(b2, v128.load(v + o, 0, 8)), f64x2.mul(o2, f64x2.mul(d, d)));
    v128.store(m + o, m1, 0, 8);
    v128.store(v + o, v1, 0, 8);
    const denom = f64x2.add(f64x2.mul(f64x2.sqrt(v1), ic), eps);
    v128.store(p + o, f64x2.sub(pj, f64x2.mul(s, f64x2.div(m1, denom))), 0, 8);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const pj = load<f64>(p + o);
    const d = load<f64>(g + o) + weightDecay * pj;
    const m0 = load<f64>(m + o);
    const m1 = m0 + (1 - beta1) * (d - m0);
    const v1 = beta2 * load<f64>(v + o) + (1 - beta2) * (d * d);
    store<f64>(m + o, m1);
    store<f64>(v + o, v1);
    store<f64>(p + o, pj - stepSize * (m1 / (Math.sqrt(v1) * invCorrection2 + epsilon)));
  }
}

/**
 * One Adam step over n contiguous float32 entries in float32 arithmetic, four at a time:
 * the constants rounded to float32 first, every operation a float32 operation in the order
 * of the TypeScript kernel's adamF32 (f32x4 sqrt and div are correctly rounded like its
 * Math.fround(Math.sqrt) and Math.fround of a quotient).
 */
export function sadam(n: i32, p: usize, g: usize, m: usize, v: usize, stepSize: f64, invCorrection2: f64, beta1: f64, beta2: f64, epsilon: f64, weightDecay: f64): void {
  const o1 = <f32>(1 - beta1), o2 = <f32>(1 - beta2), b2 = <f32>beta2;
  const s = <f32>stepSize, c = <f32>invCorrection2, eps = <f32>epsilon, wd = <f32>weightDecay;
  const o1v = f32x4.splat(o1), o2v = f32x4.splat(o2), b2v = f32x4.splat(b2);
  const sv = f32x4.splat(s), cv = f32x4.splat(c), epsv = f32x4.splat(eps), wdv = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pj = v128.load(p + o);
    const d = f32x4.add(v128.load(g + o), f32x4.mul(wdv, pj));
    const m0 = v128.load(m + o);
    const m1 = f32x4.add(m0, f32x4.mul(o1v, f32x4.sub(d, m0)));
    const v1 = f32x4.add(f32x4.mul(b2v, v128.load(v + o)), f32x4.mul(o2v, f32x4.mul(d, d)));
    v128.store(m + o, m1);
    v128.store(v + o, v1);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(v1), cv), epsv);
    v128.store(p + o, f32x4.sub(pj, f32x4.mul(sv, f32x4.div(m1, denom))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pj = load<f32>(p + o);
    const d = load<f32>(g + o) + wd * pj;
    const m0 = load<f32>(m + o);
    const m1 = m0 + o1 * (d - m0);
    const v1 = b2 * load<f32>(v + o) + o2 * (d * d);
    store<f32>(m + o, m1);
    store<f32>(v + o, v1);
    store<f32>(p + o, pj - s * (m1 / (Mathf.sqrt(v1) * c + eps)));
  }
}
