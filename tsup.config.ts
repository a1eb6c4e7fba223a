import { defineConfig } from 'tsup';

// One entry per public module, so `import 'latentspace/kmeans'` pulls only what k-means
// needs. Shared code (core, linalg, the kernel registry) becomes shared chunks; CJS uses
// splitting too so `latentspace/wasm` and `latentspace/linalg` share one backend switch.
export const entries = {
  index: 'src/index.ts',
  core: 'src/core/index.ts',
  linalg: 'src/linalg/index.ts',
  wasm: 'src/wasm/index.ts',
  image: 'src/image/index.ts',
};

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
