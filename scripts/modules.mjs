// The published modules, in the order of the exports map: one list read by tsup.config.ts,
// scripts/sync-exports.mjs and scripts/build-entries.mjs. A module is built once its folder
// has an index.ts; add a new module's name here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const moduleOrder = [
  'core', 'linalg', 'wasm', 'image', 'pca', 'kmeans', 'metrics', 'omp', 'ksvd', 'som', 'tsne',
  'interp', 'latent', 'autodiff', 'vae', 'units',
];

/** The modules that exist (their src/<name>/index.ts is there). */
export const modules = moduleOrder.filter((name) => existsSync(join(root, 'src', name, 'index.ts')));
