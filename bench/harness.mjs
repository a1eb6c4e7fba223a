// A small benchmark harness. A case times latentspace ("ours") and its peers in one
// process, interleaved: every round runs each contender once (ours, peer, ours, peer, …),
// so drift in clock speed, heat or GC pressure falls on all of them alike. Each contender
// gets warm-up runs first (JIT, WebAssembly tier-up, memory growth), then its timed
// repetitions; slow peers can ask for fewer. A peer that is not installed or fails to
// load is skipped with a message, and the case goes on without it.
//
// Environment:
//   BENCH_QUICK=1       a tenth of the repetitions (at least 2), one warm-up: a smoke test
//   BENCH_JSON=dir      also write each case's results to dir/<case id>.json (run-all does)
//
// Every contender's first run in a case is also reported on its own, as "first": it pays
// for what a user's first call pays (the JIT compiling the path, WebAssembly tier-up, memory
// growth, lazily built tables), which the warm median hides. It is the first call of that
// code in the process only for the first case of a file; benches that need a truly cold
// call after import time one in a fresh process (omp, som).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const QUICK = process.env.BENCH_QUICK === '1';
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

/**
 * A contender:
 *   name      label in the table
 *   ours      true for latentspace's own implementations
 *   prepare   async () => run: loads the library and builds the inputs (untimed);
 *             throwing here skips the contender with the message
 *   before    () => void, called before every run, untimed (e.g. switching the backend)
 *   check     (output) => string | undefined: called once after warm-up on the returned
 *             value; a string is a warning printed under the table
 *   reps, warmup: overrides of the case's numbers
 *   note      a short remark printed next to the name (e.g. "float32")
 *
 * A case:
 *   id, title, flops (per run, for GFLOP/s; omit where not meaningful),
 *   reps, warmup, contenders,
 *   targets: [{ ours, peer, min, label }]: ratio = median(peer) / median(ours), met when ≥ min
 */
export async function runCase(spec) {
  const reps = scaled(spec.reps ?? 10);
  const warmup = QUICK ? 1 : spec.warmup ?? 2;
  console.log(`\n## ${spec.title}`);
  const live = [];
  for (const c of spec.contenders) {
    try {
      const run = await c.prepare();
      live.push({ ...c, run, reps: c.reps === undefined ? reps : scaled(c.reps), warmup: QUICK ? 1 : c.warmup ?? warmup, times: [], warnings: [] });
    } catch (e) {
      console.log(`  skipped ${c.name}: ${firstLine(e)}`);
    }
  }

  // Warm-up, interleaved like the timed runs; then a correctness check on one output.
  const maxWarm = Math.max(0, ...live.map((c) => c.warmup));
  for (let w = 0; w < maxWarm; w++) {
    for (const c of live) {
      if (w >= c.warmup || c.failed) continue;
      try {
        c.before?.();
        if (w === 0) gc();
        const t0 = performance.now();
        const out = c.run();
        if (w === 0) c.first = performance.now() - t0;
        if (w === c.warmup - 1 && c.check) {
          const msg = c.check(out);
          if (msg) c.warnings.push(msg);
        }
      } catch (e) {
        c.failed = firstLine(e);
      }
    }
  }

  const maxReps = Math.max(0, ...live.map((c) => c.reps));
  for (let r = 0; r < maxReps; r++) {
    for (const c of live) {
      if (r >= c.reps || c.failed) continue;
      c.before?.();
      gc();
      const t0 = performance.now();
      try {
        c.run();
      } catch (e) {
        c.failed = firstLine(e);
        continue;
      }
      c.times.push(performance.now() - t0);
    }
  }

  const results = live.map((c) => ({
    name: c.name,
    ours: Boolean(c.ours),
    note: c.note ?? '',
    reps: c.times.length,
    failed: c.failed ?? null,
    median: c.times.length ? median(c.times) : null,
    first: c.first ?? c.times[0] ?? null,
    min: c.times.length ? Math.min(...c.times) : null,
    gflops: c.times.length && spec.flops ? spec.flops / (median(c.times) * 1e6) : null,
    warnings: c.warnings,
  }));
  printTable(results, Boolean(spec.flops));

  const targets = [];
  for (const t of spec.targets ?? []) {
    const ours = results.find((r) => r.name === t.ours);
    const peer = results.find((r) => r.name === t.peer);
    const ratio = ours?.median && peer?.median ? peer.median / ours.median : null;
    const met = ratio === null ? null : ratio >= t.min;
    // The same ratio for the first calls: what a user who calls once sees (not judged).
    const firstRatio = ours?.first && peer?.first ? peer.first / ours.first : null;
    targets.push({ label: t.label, ours: t.ours, peer: t.peer, min: t.min, ratio, firstRatio, met });
    const verdict = ratio === null ? 'not measured (a contender was skipped or failed)' : met ? 'MET' : 'NOT MET';
    const first = firstRatio === null ? '' : `; first calls ${firstRatio.toFixed(2)}×`;
    console.log(`  target: ${t.label}: ${ratio === null ? '–' : `${ratio.toFixed(2)}×`} (want ≥ ${t.min}×) ${verdict}${first}`);
  }

  const record = { id: spec.id, title: spec.title, flops: spec.flops ?? null, quick: QUICK, results, targets };
  if (process.env.BENCH_JSON) {
    mkdirSync(process.env.BENCH_JSON, { recursive: true });
    writeFileSync(join(process.env.BENCH_JSON, `${spec.id}.json`), JSON.stringify(record, null, 2));
  }
  return record;
}

function printTable(results, withFlops) {
  const ref = results.find((r) => r.ours && r.median !== null);
  const rows = results.map((r) => [
    `${r.ours ? '* ' : '  '}${r.name}${r.note ? ` (${r.note})` : ''}`,
    r.median === null ? `failed: ${r.failed}` : `${fmtMs(r.median)}`,
    r.first === null ? '' : fmtMs(r.first),
    r.min === null ? '' : fmtMs(r.min),
    withFlops && r.gflops !== null ? r.gflops.toFixed(2) : '',
    ref && r.median !== null ? `${(r.median / ref.median).toFixed(2)}×` : '',
    String(r.reps),
  ]);
  const head = ['contender (* = ours)', 'median', 'first', 'min', withFlops ? 'GFLOP/s' : '', ref ? `time / ${ref.name}` : '', 'reps'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  for (const r of results) for (const w of r.warnings) console.log(`  warning (${r.name}): ${w}`);
}

/**
 * latentspace's WebAssembly module from dist/ (`wasm`: null where it does not load or SIMD
 * is missing), and `ours(name, backend, run, extra)`, which makes a contender of ours that
 * switches to that backend before every run (skipped when it asks for 'wasm' without one).
 */
export async function ourBackends() {
  const wasm = await import('../dist/wasm.js').then((m) => (m.initSync().backend === 'wasm' ? m : null), () => null);
  const ours = (name, backend, run, extra = {}) => {
    const before = () => wasm?.useBackend(backend);
    const prepare = async () => {
      if (backend === 'wasm' && !wasm) throw new Error('latentspace/wasm did not load or WebAssembly SIMD is missing');
      before();
      return run;
    };
    return { name, ours: true, before, prepare, ...extra };
  };
  return { wasm, ours };
}

/** Loads an optional peer; throws a one-line message when it is not installed. */
export async function loadPeer(specifier) {
  try {
    return await import(specifier);
  } catch (e) {
    throw new Error(`${specifier} not available (${firstLine(e)})`);
  }
}

/** Largest absolute difference between two array-likes (Infinity if lengths differ). */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A check for `runCase`: output (or output.data) close to `expected` within `tol`. */
export function closeTo(expected, tol, pick = (out) => out.data ?? out) {
  return (out) => {
    const d = maxAbsDiff(pick(out), expected);
    return d <= tol ? undefined : `result differs from the reference by ${d.toExponential(2)} (tolerance ${tol})`;
  };
}

/** Deterministic pseudo-random values in [-1, 1) (a 32-bit LCG), for reproducible inputs. */
export function fillRandom(array, seed = 1) {
  let s = seed >>> 0;
  for (let i = 0; i < array.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    array[i] = s / 2147483648 - 1;
  }
  return array;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function scaled(n) {
  return QUICK ? Math.max(2, Math.ceil(n / 10)) : n;
}

function fmtMs(ms) {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

function firstLine(e) {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}

/**
 * Targets measured outside a case (whole fits, figures from a child process): `target`
 * records and prints one (ratio ≥ min is met; a null ratio is "not measured"), `push` adds
 * one already judged, and `write` saves them with any extra figures where run-all collects
 * them (BENCH_JSON/<id>.json).
 */
export function targetList(ours) {
  const targets = [];
  return {
    targets,
    target(label, ratio, min, extra = '') {
      const met = ratio === null || ratio === undefined ? null : ratio >= min;
      targets.push({ label, ours, peer: '', min, ratio: ratio ?? null, met });
      console.log(`  target: ${label}: ${met === null ? '–' : `${ratio.toFixed(2)}×`} (want ≥ ${min}×) ${met === null ? 'not measured' : met ? 'MET' : 'NOT MET'}${extra}`);
    },
    push(t) {
      targets.push({ ours, peer: '', ...t });
    },
    write(id, title, extra = {}) {
      if (!process.env.BENCH_JSON) return;
      mkdirSync(process.env.BENCH_JSON, { recursive: true });
      writeFileSync(join(process.env.BENCH_JSON, `${id}.json`), JSON.stringify({ id, title, results: [], targets, ...extra }, null, 2));
    },
  };
}
