// Writes package.json's "exports" and "typesVersions" from the module folders that have an
// index.ts (the same rule tsup.config.ts uses), so a new module is published by running
// `node scripts/sync-exports.mjs`. `--check` fails instead of writing when they differ.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const order = ['core', 'linalg', 'wasm', 'image', 'pca', 'kmeans', 'metrics', 'omp', 'ksvd', 'som', 'tsne', 'interp', 'latent', 'autodiff', 'vae', 'units'];
const modules = order.filter((name) => existsSync(`src/${name}/index.ts`));
const entry = (name) => ({
  import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
  require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
});
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const exportsMap = { '.': entry('index') };
for (const name of modules) exportsMap[`./${name}`] = entry(name);
exportsMap['./package.json'] = './package.json';
const typesVersions = { '*': Object.fromEntries(modules.map((name) => [name, [`./dist/${name}.d.cts`]])) };
const next = JSON.stringify({ ...pkg, exports: exportsMap, typesVersions }, null, 2) + '\n';
const current = readFileSync('package.json', 'utf8');
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('package.json exports/typesVersions are out of date: run node scripts/sync-exports.mjs');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync('package.json', next);
  console.log(`package.json: exports for ${modules.join(', ')}`);
}
