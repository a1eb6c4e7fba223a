// Writes package.json's "types", "exports" and "typesVersions" from the module list
// (scripts/modules.mjs, which tsup.config.ts reads too), so a new module is published by running
// `node scripts/sync-exports.mjs`. `--check` fails instead of writing when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { modules } from './modules.mjs';

// Declarations are tsc's, one per source file (scripts/build-entries.mjs): a module's
// are under dist/types/<name>/index.d.ts, the root's at dist/types/index.d.ts.
const types = (name) => (name === 'index' ? './dist/types/index' : `./dist/types/${name}/index`);
const entry = (name) => ({
  import: { types: `${types(name)}.d.ts`, default: `./dist/${name}.js` },
  require: { types: `${types(name)}.d.cts`, default: `./dist/${name}.cjs` },
});
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const exportsMap = { '.': entry('index') };
for (const name of modules) exportsMap[`./${name}`] = entry(name);
exportsMap['./package.json'] = './package.json';
const typesVersions = { '*': Object.fromEntries(modules.map((name) => [name, [`${types(name)}.d.cts`]])) };
const next = JSON.stringify({ ...pkg, types: `${types('index')}.d.cts`, exports: exportsMap, typesVersions }, null, 2) + '\n';
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
