#!/usr/bin/env node
// `npm run size` (after `npm run build`): what one import costs a user's bundle. Each case
// bundles a one-line entry importing a single function through the package's exports map
// (esbuild, --bundle --minify --format=esm, as an application would), then gzips it (-9).
// Prints the table every run and fails when a case exceeds its budget (gzip bytes). For a
// case over budget (every case with --analyze), it also prints the source files that the
// same import pulls in, by minified bytes: the entry bundled from src/ with esbuild's
// metafile (dist/'s shared chunks have names that say nothing).
import { build } from 'esbuild';
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
/**
 * [module, export, gzip budget in bytes]; the budgets of issue #18, then the newer modules'.
 * Two are above #18's figures, as ceilings against growth until they are met: asMatrix (#18:
 * 2 KB) reads six input formats with their messages (2.3 KB); pca.fit (#18: 10 KB) carries
 * three solvers that 'auto' picks at run time, and the covariance solver's eigen-solver alone
 * is 4.3 KB (15.0 KB with the LQ path of the full SVD; 9.9 without the covariance solver,
 * but the MNIST case needs that solver's speed).
 * #19's speed work raised four more, each by the kernels it added (their TypeScript
 * fallbacks, adapters and WebAssembly code): pca.fit 16.6 KB (blocked bidiagonalisation,
 * gemv, rotateChain), kmeans.fit 13.0 KB (cluster-sum, mirror and bound kernels), tsne.fit
 * 21.0 KB (attraction, Barnes-Hut and selection kernels), wasm.init 30.6 KB (the module grew
 * from 28 to 32 KB; it is embedded as base64, which gzip does not fully undo). The second
 * round of #19 and the VAE's epoch work raised wasm.init to 39.4 KB (module 32 → ~41 KB):
 * the Batch-OMP kernel (+3 KB of module, and its TypeScript twin in the adapters' fallback
 * table), the t-SNE walk over cells in visiting order with its 8 pairs written out and the
 * path-following insertion (+1.8 KB, −20% of a 10,000-point fit), the LQ leaves'
 * reflectRows kernel, the binary cross-entropy kernels (float32 and float64 polynomials for
 * e^x and ln(1 + x)) and the dense layer's bias/ReLU kernels with their twins (+4.5 KB),
 * and the SOM's kernels (exact distances to the winners with the per-unit sums, candidate
 * pairs, column ranges, the float32 mirror of the varying columns; +1.7 KB).
 * The same round took pca.fit to 17.6 KB (the eigensolver that back-transforms only the
 * vectors kept, the in-place LQ blocks and the bidiagonal panel's gemv calls: the SVD and
 * the MNIST target) and tsne.fit to 22.0 KB (the same SVD code, which its PCA start pulls in).
 * The third round of #19 took wasm.init from 39.4 to 41.9 KB with three kernels: the SOM's
 * integer screen (int16 dot products, its twin and adapter; MNIST's batch fit ~1.25× faster),
 * k-means' rows read in place through an index (sqdistat, f32 and f64, the norms added inside
 * the direct distance kernel; module +1.7 KB) and the Fisher-Rao batch kernel taking four
 * pairs of coordinates a step (its vectorised logarithm written out four times; the batch
 * call −40 %, the 10⁵ × 32 batch under its 50 ms target).
 * The bidiagonal divide and conquer (the SVD from order 128 on, #19's 400 × 4096 target:
 * its merge, deflation and secular solver in σ², with the root finder and row combination
 * it shares with the eigensolver) took pca.fit to 18.8 KB and tsne.fit to 23.9 KB.
 * k-means' integer screen for data on a grid (the int16 copy with its norms in one kernel
 * pass, scores of indexed rows, the bound; MNIST's fit ~1.15× faster) took kmeans.fit from
 * 13.3 to 14.5 KB and wasm.init from 41.9 to 43.0 KB.
 */
const cases = [
  ['core', 'asMatrix', 2.5 * KB],
  ['interp', 'slerp', 2 * KB],
  ['pca', 'fit', 19.5 * KB],
  ['kmeans', 'fit', 14.5 * KB],
  ['tsne', 'fit', 24.5 * KB],
  ['wasm', 'init', 43 * KB],
  ['autodiff', 'valueAndGrad', 4 * KB],
  ['autodiff', 'train', 12 * KB],
];

const analyzeAll = process.argv.includes('--analyze');
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('npm run size measures the built package: run npm run build first');
  process.exit(1);
}

/** The source files an import pulls in, largest first: "bytes path" lines. */
async function sources(module, name) {
  const entry = join(project, `${module}-${name}.src.mjs`);
  writeFileSync(entry, `import { ${name} } from ${JSON.stringify(join(root, 'src', module, 'index.ts'))};\nglobalThis.keep = ${name};\n`);
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, metafile: true, logLevel: 'silent', absWorkingDir: project });
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output.inputs)
    .filter(([path, { bytesInOutput }]) => bytesInOutput > 0 && path.includes('src/'))
    .map(([path, { bytesInOutput }]) => [bytesInOutput, path.slice(path.lastIndexOf('src/'))])
    .sort((a, b) => b[0] - a[0]);
}

const project = mkdtempSync(join(tmpdir(), 'latentspace-size-'));
const analyses = [];
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
    if (over || analyzeAll) analyses.push([`${module}.${name}`, await sources(module, name)]);
    rows.push([`${module}.${name}`, (code.length / KB).toFixed(1), (gz / KB).toFixed(1), (budget / KB).toFixed(1), over ? 'OVER' : 'ok']);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
const header = ['import', 'min KB', 'gzip KB', 'budget KB', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
for (const [label, files] of analyses) {
  const total = files.reduce((sum, [bytes]) => sum + bytes, 0);
  console.log(`\n${label} from src/: ${(total / KB).toFixed(1)} KB min, by file`);
  for (const [bytes, path] of files.slice(0, 12)) console.log(`  ${(bytes / KB).toFixed(1).padStart(5)}  ${path}`);
  if (files.length > 12) console.log(`  ${files.length - 12} more files, ${((total - files.slice(0, 12).reduce((sum, [bytes]) => sum + bytes, 0)) / KB).toFixed(1)} KB`);
}
if (failed > 0) {
  console.error(`\n${failed} import(s) over budget (node scripts/size.mjs --analyze lists what every import pulls in)`);
  process.exit(1);
}
