import { softmaxCrossEntropy, valueAndGrad, Workspace, type Operand, type Params, type Var } from '../autodiff/index.js';
import { describe, fail } from '../core/errors.js';
import { isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { checkLabels, classMeansInto } from './profile.js';
import { batchSizeOf, checkIntervened, inputsFor, layerIndex, resolveNet, rowsOf, runNet, type Net, type NetLike } from './net.js';

// Reading units through the network: the gradient of the loss with respect to a layer's
// activations (made the differentiated "parameter", the rest of the network a constant),
// and accuracies with units switched off or taken from another network.

/**
 * The loss of {@link gradientProfile}: (network output, the batch's labels) → 1 × 1, summed over the rows.
 * @example
 * ```ts
 * // Cross-entropy at temperature 2:
 * const soft: UnitLoss = (out, labels) => softmaxCrossEntropy(scale(out, 0.5), labels, { reduction: 'sum' });
 * units.gradientProfile('mlp', params, X, labels, { loss: soft });
 * ```
 */
export type UnitLoss = (output: Operand, labels: Int32Array) => Var;

/**
 * Options of {@link gradientProfile}.
 * @example
 * ```ts
 * units.gradientProfile('mlp', params, X, labels, { layer: -1, batchSize: 512 }); // ∂loss/∂logits: softmax − one-hot
 * ```
 */
export interface GradientProfileOptions {
  /** Which layer (0 the first; negative from the end, −1 the output). @defaultValue 0 */
  layer?: number;
  /**
   * The loss, summed over the batch's rows so that row i's gradient is that of its own
   * loss ℓᵢ (a mean would divide by the batch size).
   * @defaultValue softmax cross-entropy of the output (logits) with reduction 'sum'
   */
  loss?: UnitLoss;
  /** Inputs per forward and backward pass (bounds memory). @defaultValue 1024 */
  batchSize?: number;
}
const GRADIENT_PROFILE_OPTIONS = optionNames<GradientProfileOptions>()('layer', 'loss', 'batchSize');

const crossEntropySum: UnitLoss = (output, labels) => softmaxCrossEntropy(output, labels, { reduction: 'sum' });

/**
 * The training-gradient view of a layer: for every class, the mean over its inputs of
 * ∂ℓᵢ/∂h, the gradient of input i's loss with respect to the layer's activations h. A
 * negative entry means that raising the unit lowers that class's loss: the unit serves the
 * class; a positive one, that the unit works against it. Each batch runs the network once
 * for the activations, then once more with the layer's output replaced (through
 * `intervene`) by the activations as the differentiated parameter, so only the layers after
 * it are differentiated.
 *
 * @param net - a {@link Net}, or `'mlp'`
 * @param params - the network's parameters (not modified; X is converted to their element type)
 * @param X - the inputs, (nInputs, nFeatures)
 * @param labels - nInputs class indices 0 … k − 1, every class present
 * @returns (k, layer width), float64
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` for labels that are not class indices, a
 *   network that does not honour `intervene`, or a loss that is not 1 × 1
 *
 * @see Bau et al. (2020), "Understanding the role of individual units in a deep neural network", PNAS 117(48)
 * @example
 * ```ts
 * const G = gradientProfile('mlp', params, X, labels, { layer: 0 }); // (10 × 100)
 * G.data[7 * 100 + 42]; // < 0 when unit 42 helps to recognise 7s
 * ```
 */
export function gradientProfile<P extends Params>(net: NetLike<P>, params: P, X: MatrixInput, labels: ArrayLike<number>, options?: GradientProfileOptions): Matrix<Float64Array> {
  const fname = 'gradientProfile';
  const opts = checkOptions(options, GRADIENT_PROFILE_OPTIONS, `${fname}: options`);
  const f = resolveNet(net, fname);
  const x = inputsFor(X, params);
  const classes = checkLabels(labels, x.rows);
  const loss = opts.loss ?? crossEntropySum;
  if (typeof loss !== 'function') fail('INVALID_OPTION', `${fname}: loss received ${describe(loss)}, expected (output, labels) => a 1 × 1 loss`);
  const batchSize = batchSizeOf(opts.batchSize, fname);
  const workspace = new Workspace();
  let layer = -1, width = 0, gradients = new Float64Array(0);
  for (let start = 0; start < x.rows; start += batchSize) {
    const end = Math.min(x.rows, start + batchSize);
    const xb = rowsOf(x, start, end), lb = classes.labels.subarray(start, end);
    const plain = runNet(f, params, xb, layer < 0 ? {} : { layer }, fname);
    if (layer < 0) {
      layer = layerIndex(opts.layer ?? 0, plain.length, fname);
      width = plain[layer]!.cols;
      gradients = new Float64Array(x.rows * width);
    }
    const h0 = plain[layer]!;
    if (h0.cols !== width) fail('SHAPE_MISMATCH', `${fname}: the net's layer ${layer} changed width between batches (${width}, then ${h0.cols})`);
    const { grads } = valueAndGrad((p) => {
      let replaced: Operand | undefined;
      const out = runNet(f, params, xb, { intervene: (i, a) => (i === layer ? (replaced = p.h) : a) }, fname);
      checkIntervened(out, layer, replaced, fname);
      const value = loss(out[out.length - 1]!, lb);
      if (!isMatrix(value) || value.rows !== 1 || value.cols !== 1) fail('INVALID_INPUT', `${fname}: loss returned ${describe(value)}, expected a 1 × 1 value (the sum of the rows' losses)`);
      return value;
    }, { h: { rows: h0.rows, cols: h0.cols, data: h0.data } }, { workspace });
    gradients.set(grads.h.data, start * width);
  }
  const data = classMeansInto(gradients, x.rows, width, classes, new Float64Array(classes.count * width));
  return { rows: classes.count, cols: width, data };
}

/**
 * Options of {@link ablate}.
 * @example
 * ```ts
 * units.ablate('mlp', params, X, labels, { layer: 0, units: [3, 14] });
 * ```
 */
export interface AblateOptions {
  /** Which layer (0 the first; negative from the end). @defaultValue 0 */
  layer?: number;
  /** The units (columns of the layer) to switch off. */
  units: ArrayLike<number>;
  /** Inputs per forward pass. @defaultValue 1024 */
  batchSize?: number;
}
const ABLATE_OPTIONS = optionNames<AblateOptions>()('layer', 'units', 'batchSize');

/**
 * Options of {@link transplant}.
 * @example
 * ```ts
 * units.transplant('mlp', params, donor, X, labels, { layer: 0, units: [3] });
 * ```
 */
export interface TransplantOptions extends AblateOptions {}
const TRANSPLANT_OPTIONS = optionNames<TransplantOptions>()('layer', 'units', 'batchSize');

/**
 * What {@link ablate} and {@link transplant} return: accuracies of the network's argmax.
 * @example
 * ```ts
 * const { before, after } = units.ablate('mlp', params, X, labels, { units: [3] });
 * before[7] - after[7]; // the 7s' loss of accuracy
 * ```
 */
export interface AblationResult {
  /** Accuracy on each class's inputs as the network is, (k). */
  readonly before: Float64Array;
  /** Accuracy on each class's inputs with the units changed, (k). */
  readonly after: Float64Array;
  /** Accuracy on all inputs as the network is. */
  readonly overallBefore: number;
  /** Accuracy on all inputs with the units changed. */
  readonly overallAfter: number;
  /** Inputs of each class, (k). */
  readonly counts: Int32Array;
}

/** Makes the replacement of a layer's output, once its index, width and the units are known. */
type Replacement<P> = (f: Net<P>, layer: number, width: number, columns: Int32Array) => (output: Operand, xb: Matrix) => Matrix;

function checkUnits(units: unknown, width: number, fname: string): Int32Array {
  if (units === null || typeof units !== 'object' || typeof (units as ArrayLike<number>).length !== 'number') {
    fail('INVALID_OPTION', `${fname}: units received ${describe(units)}, expected an array of unit indices (columns of the layer)`);
  }
  const list = units as ArrayLike<number>;
  return Int32Array.from({ length: list.length }, (_, i) => checkInt(list[i], `${fname}: units[${i}]`, 0, width - 1));
}

/** Row-wise argmax of (rows × cols) `data` (the first of equal maxima). */
function argmaxRow(m: Matrix, i: number): number {
  let best = 0;
  for (let j = 1; j < m.cols; j++) if (m.data[i * m.cols + j]! > m.data[i * m.cols + best]!) best = j;
  return best;
}

/**
 * The common part of {@link ablate} and {@link transplant}: per-class accuracy of the network
 * as it is and with `replacement` at the layer.
 */
function surgery<P extends Params>(fname: string, net: NetLike<P>, params: P, X: MatrixInput, labels: ArrayLike<number>, options: AblateOptions | undefined, names: readonly string[], replacement: Replacement<P>): AblationResult {
  const opts = checkOptions(options, names, `${fname}: options`);
  const f = resolveNet(net, fname);
  const x = inputsFor(X, params);
  const classes = checkLabels(labels, x.rows);
  const batchSize = batchSizeOf(opts.batchSize, fname);
  const k = classes.count;
  const right = [new Float64Array(k), new Float64Array(k)];
  let layer = -1, replace: ((output: Operand, xb: Matrix) => Matrix) | undefined;
  for (let start = 0; start < x.rows; start += batchSize) {
    const end = Math.min(x.rows, start + batchSize);
    const xb = rowsOf(x, start, end);
    const plain = runNet(f, params, xb, {}, fname);
    if (layer < 0) {
      layer = layerIndex(opts.layer ?? 0, plain.length, fname);
      const outputs = plain[plain.length - 1]!.cols;
      if (k > outputs) fail('INVALID_INPUT', `labels: received class ${k - 1}, expected classes below ${outputs} (the columns of the network's output)`);
      const width = plain[layer]!.cols;
      replace = replacement(f, layer, width, checkUnits(opts.units, width, fname));
    }
    let replaced: Operand | undefined;
    const changed = runNet(f, params, xb, { intervene: (i, a) => (i === layer ? (replaced = replace!(a, xb)) : a) }, fname);
    checkIntervened(changed, layer, replaced, fname);
    [plain, changed].forEach((out, t) => {
      const y = out[out.length - 1]!;
      for (let i = 0; i < xb.rows; i++) {
        const c = classes.labels[start + i]!;
        if (argmaxRow(y, i) === c) right[t]![c]!++;
      }
    });
  }
  const [before, after] = right.map((r) => r.map((v, c) => v / classes.sizes[c]!)) as [Float64Array, Float64Array];
  const overall = (r: Float64Array) => r.reduce((s, v) => s + v, 0) / x.rows;
  return { before, after, overallBefore: overall(right[0]!), overallAfter: overall(right[1]!), counts: classes.sizes };
}

/** The layer output with `columns` taken from `source` (zero when null): a copy, same element type. */
function withColumns(output: Operand, columns: Int32Array, source: Matrix | null): Matrix {
  const { rows, cols } = output;
  const data = output.data.slice();
  for (let i = 0; i < rows; i++) {
    for (const j of columns) data[i * cols + j] = source === null ? 0 : source.data[i * cols + j]!;
  }
  return { rows, cols, data };
}

/**
 * Switches units off: per-class accuracy of the network's argmax before and after forcing
 * the given units of a layer to zero for every input (Bau et al.'s ablation; Morcos et al.
 * ablate the same way). A class whose accuracy falls when a few units go is a class those
 * units carry.
 *
 * @param net - a {@link Net} (it must honour `intervene`), or `'mlp'`
 * @param X - the inputs, (nInputs, nFeatures)
 * @param labels - nInputs class indices 0 … k − 1 (every class present), below the output's width
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a unit outside the layer, `INVALID_INPUT`
 *   for a network that does not honour `intervene`
 *
 * @see Bau et al. (2020), "Understanding the role of individual units in a deep neural network", PNAS 117(48)
 * @example
 * ```ts
 * const r = ablate('mlp', params, X, labels, { layer: 0, units: [12, 40, 77] });
 * r.before[7] - r.after[7]; // what the 7s lose without these three units
 * ```
 */
export function ablate<P extends Params>(net: NetLike<P>, params: P, X: MatrixInput, labels: ArrayLike<number>, options: AblateOptions): AblationResult {
  return surgery('ablate', net, params, X, labels, options, ABLATE_OPTIONS, (_f, _layer, _width, columns) => (output) => withColumns(output, columns, null));
}

/**
 * Transplants units: per-class accuracy of the network before and after the given units of
 * a layer take the activations that a donor network of the same shape (other parameters:
 * another seed, a fine-tuned copy) gives them for the same inputs. The stretch goal of unit
 * surgery: does a unit of one network do the same job in another?
 *
 * @param donor - the donor's parameters, for the same `net`
 * @throws {@link core!LatentSpaceError} as {@link ablate}; `SHAPE_MISMATCH` when the donor's layer differs in width
 * @example
 * ```ts
 * const r = transplant('mlp', params, otherParams, X, labels, { layer: 0, units: [3] });
 * r.overallBefore - r.overallAfter; // the cost of unit 3 from the other network
 * ```
 */
export function transplant<P extends Params>(net: NetLike<P>, params: P, donor: P, X: MatrixInput, labels: ArrayLike<number>, options: TransplantOptions): AblationResult {
  return surgery('transplant', net, params, X, labels, options, TRANSPLANT_OPTIONS, (f, layer, width, columns) => (output, xb) => {
    const given = runNet(f, donor, xb, { layer }, 'transplant')[layer];
    if (given === undefined || given.cols !== width) {
      fail('SHAPE_MISMATCH', `transplant: the donor's layer ${layer} is ${given === undefined ? 'missing' : `${given.cols} wide`}, expected ${width} units (a network of the same shape)`);
    }
    return withColumns(output, columns, given);
  });
}
