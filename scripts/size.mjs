#!/usr/bin/env node
// `npm run size` (after `npm run build`): what one import costs a user's bundle. Each case
// bundles a one-line entry importing a single function through the package's exports map
// (esbuild, --bundle --minify --format=esm, as an application would), then gzips it (-9).
// Prints the table every run and fails when a case exceeds its budget (gzip bytes).
import { build } from 'esbuild';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
/** [module, export, gzip budget in bytes]; the budgets of issue #18, then the newer modules'. */
const cases = [
  ['core', 'asMatrix', 2 * KB],
  ['interp', 'slerp', 2 * KB],
  ['pca', 'fit', 10 * KB],
  ['kmeans', 'fit', 12 * KB],
  ['tsne', 'fit', 20 * KB],
  ['wasm', 'init', 22 * KB],
  ['autodiff', 'valueAndGrad', 4 * KB],
  ['autodiff', 'train', 12 * KB],
];

const project = mkdtempSync(join(tmpdir(), 'latentspace-size-'));
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules', 'latentspace'), 'dir');
let failed = 0;
const rows = [];
try {
  for (const [module, name, budget] of cases) {
    const entry = join(project, `${module}-${name}.mjs`);
    writeFileSync(entry, `import { ${name} } from 'latentspace/${module}';\nglobalThis.keep = ${name};\n`);
    const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent', absWorkingDir: project });
    const code = result.outputFiles[0].contents;
    const gz = gzipSync(code, { level: 9 }).length;
    const over = gz > budget;
    if (over) failed++;
    rows.push([`${module}.${name}`, (code.length / KB).toFixed(1), (gz / KB).toFixed(1), (budget / KB).toFixed(0), over ? 'OVER' : 'ok']);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
const header = ['import', 'min KB', 'gzip KB', 'budget KB', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
if (failed > 0) {
  console.error(`\n${failed} import(s) over budget: find what they pull with esbuild --metafile (see scripts/size.mjs)`);
  process.exit(1);
}
