// Runs every bench/*.bench.mjs, each in its own Node process (with --expose-gc, so the
// harness can collect garbage between timed runs), then prints every target in one list.
// `npm run bench` builds first. Pass names to run a subset: node bench/run-all.mjs linalg
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const jsonDir = fileURLToPath(new URL('../.bench-tmp/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
if (!existsSync(join(here, '..', 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench does).');
  process.exit(1);
}
rmSync(jsonDir, { recursive: true, force: true });

const started = Date.now();
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, file)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_JSON: jsonDir },
  });
  if (r.status !== 0) {
    failed++;
    console.log(`# ${file} exited with ${r.status ?? r.signal}`);
  }
}

console.log(`\n# targets (ratio = median time of the peer / median time of ours)`);
const records = existsSync(jsonDir) ? readdirSync(jsonDir).filter((f) => f.endsWith('.json')).sort() : [];
for (const f of records) {
  const rec = JSON.parse(readFileSync(join(jsonDir, f), 'utf8'));
  for (const t of rec.targets) {
    const verdict = t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met';
    const first = t.firstRatio == null ? '' : `  (first calls: ${t.firstRatio.toFixed(2)}×)`;
    console.log(`  ${t.label.padEnd(36)} ${t.ratio === null ? '–'.padStart(8) : `${t.ratio.toFixed(2)}×`.padStart(8)}  (≥ ${t.min}×)  ${verdict}${first}`);
  }
}
console.log(`\n${files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(0)} s, node ${process.version}${failed ? `, ${failed} failed` : ''}`);
process.exit(failed ? 1 : 0);
