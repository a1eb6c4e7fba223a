import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry per public module, so `import 'latentspace/kmeans'` pulls only what k-means
// needs. Shared code (core, linalg, the kernel registry) becomes shared chunks; CJS uses
// splitting too so `latentspace/wasm` and `latentspace/linalg` share one backend switch.
// A module enters the build once its folder has an index.ts; package.json's exports map
// lists the published ones, and `npm run check:package` fails if one of those is missing.
const modules = ['core', 'linalg', 'wasm', 'image', 'pca', 'kmeans', 'metrics', 'omp', 'ksvd', 'som', 'tsne', 'interp', 'latent', 'autodiff', 'vae', 'units'];

export const entries: Record<string, string> = { index: 'src/index.ts' };
for (const name of modules) {
  if (existsSync(`src/${name}/index.ts`)) entries[name] = `src/${name}/index.ts`;
}

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  outDir: 'dist',
});
