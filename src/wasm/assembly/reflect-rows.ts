// One Householder reflector applied from the right to rows (dreflectrows), mirroring
// src/linalg/kernels/reflect-rows.ts operation for operation: the dot product's two lanes
// are its sums over odd and even offsets from 1 (a last odd term added to lane 0), then
// x₀ + (lane 0 + lane 1); the update x − f·v is elementwise. No fused multiply-add.
//
// Pointers are byte addresses; the leading dimension is in elements.

/** Each of `rows` rows x (len entries, leading dimension ld) ← x − τ·(x₀ + Σ_{c≥1} v_c·x_c)·v, v[0] = 1 implicit. */
export function dreflectrows(len: i32, rows: i32, v: usize, x: usize, ld: i32, tau: f64): void {
  for (let i = 0; i < rows; i++) {
    const p = x + <usize>i * (<usize>ld << 3);
    let sa = f64x2.splat(0);
    let c = 1;
    for (; c + 2 <= len; c += 2) {
      const o = <usize>c << 3;
      sa = f64x2.add(sa, f64x2.mul(v128.load(v + o), v128.load(p + o)));
    }
    let a0 = f64x2.extract_lane(sa, 0);
    if (c < len) a0 += load<f64>(v + (<usize>c << 3)) * load<f64>(p + (<usize>c << 3));
    const f = tau * (load<f64>(p) + (a0 + f64x2.extract_lane(sa, 1)));
    store<f64>(p, load<f64>(p) - f);
    const u = f64x2.splat(f);
    c = 1;
    for (; c + 2 <= len; c += 2) {
      const o = <usize>c << 3;
      v128.store(p + o, f64x2.sub(v128.load(p + o), f64x2.mul(u, v128.load(v + o))));
    }
    if (c < len) store<f64>(p + (<usize>c << 3), load<f64>(p + (<usize>c << 3)) - f * load<f64>(v + (<usize>c << 3)));
  }
}
