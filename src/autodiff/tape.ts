import { describe, fail } from '../core/errors.js';
import { dtypeOf } from '../linalg/dtype.js';
import { asMatrix, isMatrix, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { jsRegion } from '../linalg/kernels/resident.js';
import type { Region } from '../linalg/kernels/types.js';

/** Element type of a computation: float32 (the default, as PyTorch) or float64. */
export type Dtype = 'float32' | 'float64';

/**
 * Typed-array buffers reused across calls, in the order a computation asks for them. A
 * training step makes the same requests every time, so from the second step on every
 * request is served by the buffer the same request got last time, and nothing is allocated.
 * A position remembers up to three sizes, so a smaller last batch allocates once, not
 * every epoch.
 *
 * @example
 * ```ts
 * const ws = new Workspace();
 * for (const batch of batches) valueAndGrad((p) => loss(p, batch), params, { workspace: ws });
 * ```
 */
export class Workspace {
  // Per request position, the buffers it has been served with (at most a few sizes: a
  // full batch and a smaller last one alternate without reallocating every epoch).
  private readonly slots: { dtype: Dtype; region: Region<FloatArray> }[][] = [];
  private cursor = 0;
  /** Typed arrays this workspace has created so far (a test of the no-allocation promise). */
  allocations = 0;

  /**
   * @param allocate - @internal where the buffers come from: new typed arrays, or regions of
   *   the kernels' memory for a training run that keeps its values there (see ResidentParams)
   */
  constructor(private readonly allocate: (dtype: Dtype, length: number) => Region<FloatArray> = newArray) {}

  /** Starts a new pass: requests are served from the first slot again. */
  reset(): void {
    this.cursor = 0;
  }

  /** A buffer of `length` entries of `dtype`, contents unspecified. */
  take(dtype: Dtype, length: number): FloatArray {
    const slot = (this.slots[this.cursor++] ??= []);
    for (const b of slot) if (b.region.length === length && b.dtype === dtype) return b.region.view();
    const region = this.allocate(dtype, length);
    this.allocations++;
    // Keep the most recent sizes only, so a computation whose sizes keep changing cannot
    // make the workspace grow without bound.
    if (slot.length === MAX_SIZES_PER_SLOT) slot.shift()!.region.release();
    slot.push({ dtype, region });
    return region.view();
  }

  /** @internal Gives every buffer back (a resident workspace's memory); the workspace starts empty. */
  release(): void {
    for (const slot of this.slots) for (const b of slot) b.region.release();
    this.slots.length = 0;
    this.cursor = 0;
  }
}

/** A workspace buffer of plain memory. */
const newArray = (dtype: Dtype, length: number): Region<FloatArray> => jsRegion(dtype === 'float32' ? new Float32Array(length) : new Float64Array(length));

const MAX_SIZES_PER_SLOT = 3;

/**
 * The record of one differentiable computation: every value made from a tracked input, in
 * order, with its backward rule. A tape belongs to one call of `valueAndGrad` (values carry
 * their tape, so two interleaved computations never share state).
 */
export class Tape {
  readonly nodes: Var[] = [];

  constructor(
    readonly dtype: Dtype,
    readonly workspace: Workspace,
    readonly checkFinite: boolean,
  ) {}

  /** A buffer for a value or a gradient (zeroed when `zero`). */
  take(length: number, zero: boolean): FloatArray {
    const buffer = this.workspace.take(this.dtype, length);
    if (zero) buffer.fill(0);
    return buffer;
  }
}

/**
 * The backward rule of one op: given the gradient of the loss with respect to the op's
 * output, it adds each tracked input's share into that input's gradient (`gradOf`).
 */
export type Backward = (outputGrad: FloatArray) => void;

/**
 * A value inside a differentiable computation: a {@link Matrix} (`rows`, `cols`, `data`)
 * that also remembers the op that made it. Ops return `Var`s; they accept `Var`s and plain
 * Matrices alike. A `Var` is only meaningful during the computation that made it; read
 * its `data` (or copy it) there.
 *
 * @example
 * ```ts
 * const y = relu({ rows: 1, cols: 2, data: new Float32Array([-1, 2]) });
 * Array.from(y.data); // [0, 2]
 * ```
 */
export class Var implements Matrix {
  /** @internal The accumulated gradient, allocated when something flows into it. */
  grad: FloatArray | null = null;
  /** @internal How to pass the output gradient on to the inputs. */
  backward: Backward | null = null;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: FloatArray,
    /** @internal The tape recording this value, or null for a constant. */
    readonly tape: Tape | null,
    /** @internal True when a tracked parameter reaches this value. */
    readonly requiresGrad: boolean,
    /** The op that made this value ('param', 'constant', 'matmul', …). */
    readonly op: string,
  ) {}
}

/** What every op takes: a value of the computation, or plain data. */
export type Operand = Var | Matrix;

/** The common context of an op's operands: their tape (if any) and element type. */
export interface OpContext {
  readonly tape: Tape | null;
  readonly dtype: Dtype;
  readonly requiresGrad: boolean;
}


function liftKnown(x: unknown): Var | null {
  if (x instanceof Var) return x;
  if (isMatrix(x)) return new Var(x.rows, x.cols, x.data, null, false, 'constant');
  return null;
}

/**
 * The operands of an op as `Var`s, with their common tape and element type. A plain
 * Matrix becomes a constant (its data shared, not copied); other accepted data (`number[][]`,
 * an ndarray, …) is coerced by `asMatrix` to the computation's element type. Two tapes
 * (values of two different computations) or two element types are errors: never mixed
 * silently.
 */
export function operands(op: string, inputs: readonly (Operand | MatrixInput)[], names: readonly string[]): { ctx: OpContext; vars: Var[] } {
  const known = inputs.map(liftKnown);
  let tape: Tape | null = null;
  let dtype: Dtype;
  for (const v of known) {
    if (v === null) continue;
    if (v.tape !== null) {
      if (tape !== null && tape !== v.tape) {
        fail('INVALID_INPUT', `${op}: its operands come from two different computations (two valueAndGrad calls); a value of one cannot be used in another`);
      }
      tape = v.tape;
    }
  }
  // Plain data takes the computation's type; with no tape, the first typed operand's, and
  // float32 (the default) when every operand is plain data.
  const first = known.find((v) => v !== null);
  dtype = tape !== null ? tape.dtype : first !== undefined && first.data instanceof Float64Array ? 'float64' : 'float32';
  const vars = known.map((v, i) => {
    if (v !== null) return v;
    const x = inputs[i];
    if (x === null || typeof x !== 'object') {
      fail('INVALID_INPUT', `${op}: ${names[i]} received ${describe(x)}, expected a Matrix or a value of the computation`);
    }
    const m = asMatrix(x as MatrixInput, `${op}: ${names[i]}`, { dtype });
    return new Var(m.rows, m.cols, m.data, null, false, 'constant');
  });
  let requiresGrad = false;
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i]!;
    requiresGrad ||= v.requiresGrad;
    const d = dtypeOf(v);
    if (d !== dtype) {
      fail('INVALID_INPUT', `${op}: ${names[i]} is ${d} but the computation is ${dtype}; convert it first (asMatrix(x, 'x', { dtype: '${dtype}' })): dtypes are never mixed silently`);
    }
  }
  return { ctx: { tape, dtype, requiresGrad }, vars };
}

/** A buffer for an op's output: from the tape's workspace, or new outside a computation. */
export function output(ctx: OpContext, length: number): FloatArray {
  if (ctx.tape !== null) return ctx.tape.take(length, false);
  return ctx.dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** A zeroed float64 buffer for an op's own accumulation (reused across steps on a tape). */
export function scratch64(ctx: OpContext, length: number): Float64Array {
  if (ctx.tape === null) return new Float64Array(length);
  const buffer = ctx.tape.workspace.take('float64', length) as Float64Array;
  buffer.fill(0);
  return buffer;
}

/** The gradient buffer of `v`, zeroed and attached on first use. */
export function gradOf(v: Var): FloatArray {
  if (v.grad === null) v.grad = v.tape!.take(v.data.length, true);
  return v.grad;
}

/**
 * The gradient buffer of `v` for a kernel that can either overwrite or accumulate (GEMM's
 * beta): a fresh buffer is handed out unzeroed with beta 0, an existing one with beta 1.
 */
export function gradSlot(v: Var): [FloatArray, 0 | 1] {
  if (v.grad !== null) return [v.grad, 1];
  v.grad = v.tape!.take(v.data.length, false);
  return [v.grad, 0];
}

/** Index of the first NaN or ±Infinity in `data`, or −1. */
export function firstNonFinite(data: FloatArray): number {
  // A branch-free screen first (x·0 is 0 for finite x, NaN otherwise): twice as fast as
  // testing each entry, and the search below runs only when something is wrong.
  let screen = 0;
  const n = data.length;
  for (let i = 0; i < n; i++) screen += data[i]! * 0;
  if (screen === 0) return -1;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

/**
 * Makes the op's result: records it on the tape with its backward rule (when a tracked
 * input reaches it) and, when the computation checks, stops at a NaN or ±Infinity with the
 * op's name rather than training on it.
 */
export function result(ctx: OpContext, op: string, rows: number, cols: number, data: FloatArray, backward: Backward | null, inputs: readonly Var[]): Var {
  const out = new Var(rows, cols, data, ctx.tape, ctx.requiresGrad, op);
  if (ctx.tape === null || ctx.tape.checkFinite) {
    const bad = firstNonFinite(data);
    if (bad >= 0) {
      const inputState = inputs.map((v, i) => `input ${i + 1} (${v.rows} × ${v.cols}, ${v.op}) ${firstNonFinite(v.data) >= 0 ? 'holds non-finite values' : 'is finite'}`).join('; ');
      fail('NON_FINITE', `${op} produced ${data[bad]} at row ${Math.floor(bad / cols)}, column ${bad % cols} of its ${rows} × ${cols} output; ${inputState}. Lower the learning rate, or check the data`);
    }
  }
  if (ctx.tape !== null && ctx.requiresGrad && backward !== null) {
    out.backward = backward;
    ctx.tape.nodes.push(out);
  }
  return out;
}

/** Formats a shape for error messages. */
export function shapeOf(v: { rows: number; cols: number }): string {
  return `${v.rows} × ${v.cols}`;
}
