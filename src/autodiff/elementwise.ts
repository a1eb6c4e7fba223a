import { fail } from '../core/errors.js';
import { checkNumber } from '../core/options.js';
import type { FloatArray } from '../core/matrix.js';
import { gradOf, operands, output, result, shapeOf, type Operand, type Var } from './tape.js';

// Elementwise ops. Each is its forward map and its local derivative, side by side; one
// loop (`unary`, `binary`) serves them all, and broadcasting is undone in one place: the
// backward loop adds into the broadcast operand's single entry (row or column) through the
// same strides the forward loop read it with.

/** A unary op's pair: y = f(x), and dy/dx from x and y (whichever is cheaper). */
interface UnaryRule {
  readonly forward: (x: number) => number;
  readonly derivative: (x: number, y: number) => number;
}

function unary(op: string, a: Operand, rule: UnaryRule): Var {
  const { ctx, vars: [x] } = operands(op, [a], ['a']);
  const n = x!.data.length;
  const out = output(ctx, n);
  const xd = x!.data;
  const f = rule.forward;
  for (let i = 0; i < n; i++) out[i] = f(xd[i]!);
  const backward = (g: FloatArray) => {
    const gx = gradOf(x!);
    const df = rule.derivative;
    for (let i = 0; i < n; i++) gx[i]! += g[i]! * df(xd[i]!, out[i]!);
  };
  return result(ctx, op, x!.rows, x!.cols, out, x!.requiresGrad ? backward : null, [x!]);
}

const stableSoftplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const stableSigmoid = (x: number) => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

/**
 * The activations, with derivatives written from the output y alone, so a fused layer can
 * apply them in place (softplus: σ(x) = 1 − e^−y, as −expm1(−y) to keep tiny slopes exact).
 */
export const ACTIVATION_RULES = {
  identity: { forward: (x) => x, derivative: () => 1 },
  relu: { forward: (x) => (x > 0 ? x : 0), derivative: (_x, y) => (y > 0 ? 1 : 0) },
  leakyRelu: { forward: (x) => (x > 0 ? x : 0.01 * x), derivative: (_x, y) => (y > 0 ? 1 : 0.01) },
  sigmoid: { forward: stableSigmoid, derivative: (_x, y) => y * (1 - y) },
  tanh: { forward: Math.tanh, derivative: (_x, y) => 1 - y * y },
  softplus: { forward: stableSoftplus, derivative: (_x, y) => -Math.expm1(-y) },
} satisfies Record<string, UnaryRule>;

/** Hidden-layer activations by name. */
export type Activation = keyof typeof ACTIVATION_RULES;

const RULES = {
  ...ACTIVATION_RULES,
  neg: { forward: (x) => -x, derivative: () => -1 },
  exp: { forward: Math.exp, derivative: (_x, y) => y },
  log: { forward: Math.log, derivative: (x) => 1 / x },
  square: { forward: (x) => x * x, derivative: (x) => 2 * x },
  sqrt: { forward: Math.sqrt, derivative: (_x, y) => 0.5 / y },
  abs: { forward: Math.abs, derivative: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0) },
} satisfies Record<string, UnaryRule>;

/**
 * −a, elementwise.
 * @example
 * ```ts
 * Array.from(neg([[1, -2]]).data); // [-1, 2]
 * ```
 */
export function neg(a: Operand): Var {
  return unary('neg', a, RULES.neg);
}

/**
 * max(a, 0), elementwise (gradient 0 at 0, as PyTorch).
 * @example
 * ```ts
 * Array.from(relu([[-1, 2]]).data); // [0, 2]
 * ```
 */
export function relu(a: Operand): Var {
  return unary('relu', a, RULES.relu);
}

/**
 * a where a > 0, slope · a elsewhere.
 * @param slope - the negative side's slope (PyTorch's default 0.01)
 * @example
 * ```ts
 * Array.from(leakyRelu([[-1, 2]], 0.1).data); // [-0.1, 2] (in float32)
 * ```
 */
export function leakyRelu(a: Operand, slope = 0.01): Var {
  const s = checkNumber(slope, 'leakyRelu: slope');
  return unary('leakyRelu', a, { forward: (x) => (x > 0 ? x : s * x), derivative: (x) => (x > 0 ? 1 : s) });
}

/**
 * 1 / (1 + e^−a), elementwise, without overflow for large |a|.
 * @example
 * ```ts
 * Array.from(sigmoid([[0]]).data); // [0.5]
 * ```
 */
export function sigmoid(a: Operand): Var {
  return unary('sigmoid', a, RULES.sigmoid);
}

/**
 * tanh(a), elementwise.
 * @example
 * ```ts
 * Array.from(tanh([[0]]).data); // [0]
 * ```
 */
export function tanh(a: Operand): Var {
  return unary('tanh', a, RULES.tanh);
}

/**
 * log(1 + e^a), elementwise, computed as max(a, 0) + log1p(e^−|a|) (no overflow).
 * @example
 * ```ts
 * softplus([[0]]).data[0]; // ≈ 0.6931 (log 2)
 * ```
 */
export function softplus(a: Operand): Var {
  return unary('softplus', a, RULES.softplus);
}

/**
 * e^a, elementwise.
 * @example
 * ```ts
 * Array.from(exp([[0]]).data); // [1]
 * ```
 */
export function exp(a: Operand): Var {
  return unary('exp', a, RULES.exp);
}

/**
 * Natural logarithm, elementwise (a ≤ 0 gives a NON_FINITE error naming `log`).
 * @example
 * ```ts
 * Array.from(log([[1]]).data); // [0]
 * ```
 */
export function log(a: Operand): Var {
  return unary('log', a, RULES.log);
}

/**
 * a², elementwise.
 * @example
 * ```ts
 * Array.from(square([[3]]).data); // [9]
 * ```
 */
export function square(a: Operand): Var {
  return unary('square', a, RULES.square);
}

/**
 * √a, elementwise.
 * @example
 * ```ts
 * Array.from(sqrt([[4]]).data); // [2]
 * ```
 */
export function sqrt(a: Operand): Var {
  return unary('sqrt', a, RULES.sqrt);
}

/**
 * |a|, elementwise (gradient 0 at 0).
 * @example
 * ```ts
 * Array.from(abs([[-3]]).data); // [3]
 * ```
 */
export function abs(a: Operand): Var {
  return unary('abs', a, RULES.abs);
}

/**
 * s · a.
 * @example
 * ```ts
 * Array.from(scale([[1, 2]], 3).data); // [3, 6]
 * ```
 */
export function scale(a: Operand, s: number): Var {
  const factor = checkNumber(s, 'scale: s');
  if (!Number.isFinite(factor)) fail('INVALID_INPUT', `scale: s received ${s}, expected a finite number`);
  return unary('scale', a, { forward: (x) => factor * x, derivative: () => factor });
}

/** A binary op: the value, and its partial derivatives in a and b. */
interface BinaryRule {
  readonly forward: (a: number, b: number) => number;
  readonly da: (a: number, b: number, y: number) => number;
  readonly db: (a: number, b: number, y: number) => number;
}

/**
 * Strides that read an operand broadcast to (rows × cols): a full operand steps by (cols, 1),
 * a row vector (1 × cols) by (0, 1), a column (rows × 1) by (1, 0), a scalar by (0, 0).
 */
function strides(v: Var): [number, number] {
  return [v.rows === 1 ? 0 : v.cols, v.cols === 1 ? 0 : 1];
}

function broadcastShape(op: string, x: Var, y: Var): [number, number] {
  const rows = Math.max(x.rows, y.rows), cols = Math.max(x.cols, y.cols);
  const fits = (v: Var) => (v.rows === rows || v.rows === 1) && (v.cols === cols || v.cols === 1);
  if (!fits(x) || !fits(y)) {
    fail('SHAPE_MISMATCH', `${op}: a is ${shapeOf(x)} and b is ${shapeOf(y)}; expected equal shapes, or one of them a row (1 × cols), a column (rows × 1) or a scalar (1 × 1) of the other`);
  }
  return [rows, cols];
}

function binary(op: string, a: Operand, b: Operand, rule: BinaryRule): Var {
  const { ctx, vars: [x, y] } = operands(op, [a, b], ['a', 'b']);
  const [rows, cols] = broadcastShape(op, x!, y!);
  const [xr, xc] = strides(x!);
  const [yr, yc] = strides(y!);
  const xd = x!.data, yd = y!.data;
  const out = output(ctx, rows * cols);
  const f = rule.forward;
  for (let i = 0; i < rows; i++) {
    for (let j = 0, o = i * cols; j < cols; j++, o++) out[o] = f(xd[i * xr + j * xc]!, yd[i * yr + j * yc]!);
  }
  const backward = (g: FloatArray) => {
    for (const [v, vr, vc, d] of [[x!, xr, xc, rule.da], [y!, yr, yc, rule.db]] as const) {
      if (!v.requiresGrad) continue;
      const gv = gradOf(v);
      for (let i = 0; i < rows; i++) {
        for (let j = 0, o = i * cols; j < cols; j++, o++) {
          gv[i * vr + j * vc]! += g[o]! * d(xd[i * xr + j * xc]!, yd[i * yr + j * yc]!, out[o]!);
        }
      }
    }
  };
  return result(ctx, op, rows, cols, out, backward, [x!, y!]);
}

const ADD: BinaryRule = { forward: (a, b) => a + b, da: () => 1, db: () => 1 };
const SUB: BinaryRule = { forward: (a, b) => a - b, da: () => 1, db: () => -1 };
const MUL: BinaryRule = { forward: (a, b) => a * b, da: (_a, b) => b, db: (a) => a };
const DIV: BinaryRule = { forward: (a, b) => a / b, da: (_a, b) => 1 / b, db: (_a, b, y) => -y / b };

/**
 * a + b, elementwise; either operand may be a row (1 × cols), a column (rows × 1) or a
 * scalar (1 × 1), broadcast over the other.
 * @example
 * ```ts
 * Array.from(add([[1, 2], [3, 4]], [[10, 20]]).data); // [11, 22, 13, 24]
 * ```
 */
export function add(a: Operand, b: Operand): Var {
  return binary('add', a, b, ADD);
}

/**
 * a − b, elementwise, broadcasting as {@link add}.
 * @example
 * ```ts
 * Array.from(sub([[5, 6]], [[1]]).data); // [4, 5]
 * ```
 */
export function sub(a: Operand, b: Operand): Var {
  return binary('sub', a, b, SUB);
}

/**
 * a · b, elementwise (Hadamard), broadcasting as {@link add}.
 * @example
 * ```ts
 * Array.from(mul([[1, 2]], [[3, 4]]).data); // [3, 8]
 * ```
 */
export function mul(a: Operand, b: Operand): Var {
  return binary('mul', a, b, MUL);
}

/**
 * a / b, elementwise, broadcasting as {@link add}.
 * @example
 * ```ts
 * Array.from(div([[1, 2]], [[2]]).data); // [0.5, 1]
 * ```
 */
export function div(a: Operand, b: Operand): Var {
  return binary('div', a, b, DIV);
}

/**
 * A binary elementwise op of one's own, with its partial derivatives: the way to add an
 * op without touching the library (see docs/autodiff.md, "writing a custom op").
 *
 * @example
 * ```ts
 * const hypot = (a: Operand, b: Operand) => elementwise('hypot', a, b, {
 *   forward: (x, y) => Math.hypot(x, y), da: (x, _y, h) => x / h, db: (_x, y, h) => y / h,
 * });
 * Array.from(hypot([[3]], [[4]]).data); // [5]
 * ```
 */
export function elementwise(op: string, a: Operand, b: Operand, rule: BinaryRule): Var {
  return binary(op, a, b, rule);
}
export type { BinaryRule, UnaryRule };

/**
 * A unary elementwise op of one's own: y = forward(x), dy/dx = derivative(x, y).
 * @example
 * ```ts
 * const cube = (a: Operand) => map('cube', a, { forward: (x) => x ** 3, derivative: (x) => 3 * x * x });
 * Array.from(cube([[2]]).data); // [8]
 * ```
 */
export function map(op: string, a: Operand, rule: UnaryRule): Var {
  return unary(op, a, rule);
}
