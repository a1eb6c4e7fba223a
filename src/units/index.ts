/**
 * `latentspace/units`: what a network's units and directions mean. On activation matrices
 * (n inputs × units, from any source): class profiles, class selectivity, the inputs that
 * fire a unit most, its rectified mean input, and whether the unit basis is special at all
 * against random rotations (David Bau's unit analysis). On networks built with
 * `latentspace/autodiff`: the training-gradient profile, ablation and transplants of units,
 * direction objectives and feature visualisation by gradient ascent on the input (Chris
 * Olah's note on directions). See docs/units.md.
 *
 * @example
 * ```ts
 * import * as units from 'latentspace/units';
 * const A = units.activations('mlp', params, X, { layer: 0 });  // (n × 100) hidden activations
 * const P = units.classProfile(A, labels);                      // (10 × 100) mean per class
 * const s = units.selectivity(A, labels);                       // (100) in [0, 1]
 * const { input } = units.visualize('mlp', params, units.dotCos(v), { clamp: [0, 1] });
 * P.rows; // 10
 * ```
 *
 * @packageDocumentation
 */
export { classProfile, selectivity, topActivating, rectifiedMean } from './profile.js';
export type { RectifiedMeanOptions } from './profile.js';
export { isotropy } from './isotropy.js';
export type { IsotropyOptions, IsotropyResult } from './isotropy.js';
export { mlpNet, activations } from './net.js';
export type { Net, NetLike, NetCall, MlpNetOptions, ActivationsOptions } from './net.js';
export { gradientProfile, ablate, transplant } from './network.js';
export type { GradientProfileOptions, AblateOptions, TransplantOptions, AblationResult, UnitLoss } from './network.js';
export { dot, cosine, dotCos, dotOrthogonalPenalty, l2, innerProduct, whitened } from './objectives.js';
export type { Objective, ObjectiveResult, DotCosOptions, DotOrthogonalPenaltyOptions, WhitenedOptions } from './objectives.js';
export { visualize, visualizeAsync, visualizeSteps } from './visualize.js';
export type { VisualizeOptions, VisualizeStep, VisualizeResult } from './visualize.js';
export type { Progress, OnProgress } from '../core/iterate.js';
export type { Matrix } from '../core/matrix.js';
