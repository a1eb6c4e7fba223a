// Adam's update (torch.optim.Adam's rule, as src/linalg/kernels/adam.ts) two entries at a
// time in float64 lanes. Float32 state is widened on load and rounded on store exactly where
// the TypeScript kernel's Float32Array reads and writes round, so both backends give the
// same bits: every operation is an IEEE-754 double operation in the same order, and f64x2
// sqrt and div are correctly rounded like Math.sqrt and /.

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

/** One Adam step over n contiguous float32 entries, computed in float64 (see the head). */
export function sadam(n: i32, p: usize, g: usize, m: usize, v: usize, stepSize: f64, invCorrection2: f64, beta1: f64, beta2: f64, epsilon: f64, weightDecay: f64): void {
  const o1 = f64x2.splat(1 - beta1), o2 = f64x2.splat(1 - beta2), b2 = f64x2.splat(beta2);
  const s = f64x2.splat(stepSize), ic = f64x2.splat(invCorrection2), eps = f64x2.splat(epsilon), wd = f64x2.splat(weightDecay);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const pj = f64x2.promote_low_f32x4(v128.load64_zero(p + o, 0, 4));
    const d = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(g + o, 0, 4)), f64x2.mul(wd, pj));
    const m0 = f64x2.promote_low_f32x4(v128.load64_zero(m + o, 0, 4));
    // m and v are rounded to float32 when stored and read back, as in the TypeScript kernel.
    const m1 = f32x4.demote_f64x2_zero(f64x2.add(m0, f64x2.mul(o1, f64x2.sub(d, m0))));
    const v1 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b2, f64x2.promote_low_f32x4(v128.load64_zero(v + o, 0, 4))), f64x2.mul(o2, f64x2.mul(d, d))));
    v128.store64_lane(m + o, m1, 0, 0, 4);
    v128.store64_lane(v + o, v1, 0, 0, 4);
    const denom = f64x2.add(f64x2.mul(f64x2.sqrt(f64x2.promote_low_f32x4(v1)), ic), eps);
    const p1 = f64x2.sub(pj, f64x2.mul(s, f64x2.div(f64x2.promote_low_f32x4(m1), denom)));
    v128.store64_lane(p + o, f32x4.demote_f64x2_zero(p1), 0, 0, 4);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pj = <f64>load<f32>(p + o);
    const d = <f64>load<f32>(g + o) + weightDecay * pj;
    const m0 = <f64>load<f32>(m + o);
    const m1 = <f32>(m0 + (1 - beta1) * (d - m0));
    const v1 = <f32>(beta2 * <f64>load<f32>(v + o) + (1 - beta2) * (d * d));
    store<f32>(m + o, m1);
    store<f32>(v + o, v1);
    store<f32>(p + o, <f32>(pj - stepSize * (<f64>m1 / (Math.sqrt(<f64>v1) * invCorrection2 + epsilon))));
  }
}
