/**
 * latentspace: latent spaces in the browser and in Node. This entry re-exports every
 * module as a namespace (`import { linalg } from 'latentspace'`) and the core data model
 * directly; import the subpaths (`latentspace/linalg`, …) to load only what you use.
 *
 * @packageDocumentation
 * @module latentspace
 */
export * from './core/index.js';
export * as core from './core/index.js';
export * as linalg from './linalg/index.js';
export * as wasm from './wasm/index.js';
export * as image from './image/index.js';
export * as pca from './pca/index.js';
export * as kmeans from './kmeans/index.js';
export * as metrics from './metrics/index.js';
export * as omp from './omp/index.js';
export * as ksvd from './ksvd/index.js';
export * as som from './som/index.js';
export * as tsne from './tsne/index.js';
export * as interp from './interp/index.js';
export * as latent from './latent/index.js';
export * as autodiff from './autodiff/index.js';
export * as vae from './vae/index.js';
export * as units from './units/index.js';
