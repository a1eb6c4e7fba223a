import { defineConfig } from 'tsup';
import { modules } from './scripts/modules.mjs';

// One entry per public module, so `import 'latentspace/kmeans'` pulls only what k-means
// needs. Shared code (core, linalg, the kernel registry) becomes shared chunks; CJS uses
// splitting too so `latentspace/wasm` and `latentspace/linalg` share one backend switch.
//
// The root entry (`latentspace`) is not built here: scripts/build-entries.mjs writes it as
// a thin file re-exporting the module entries. Built here, its `export * as pca`
// namespace objects land in the chunks the subpaths share, and a namespace object keeps
// every function of its module alive in a user's bundle (`slerp` alone weighed 39 KB).
// Declarations come from tsc (scripts/build-entries.mjs too): bundled ones turned
// type-only re-exports inside namespaces into `declare const Matrix: typeof Matrix`.
export const entries: Record<string, string> = Object.fromEntries(modules.map((name) => [name, `src/${name}/index.ts`]));

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: false,
  splitting: true,
  // No source maps: they would point at src/, which the package does not ship.
  sourcemap: false,
  clean: true,
  treeshake: true,
  target: 'es2022',
  outDir: 'dist',
});
