/**
 * The built ESM bundle in headless Chromium, compared with Node.
 *
 * A static server (./server.ts) serves dist/ and ./pages/ on 127.0.0.1; playwright-core
 * drives Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH). Two pages run the same
 * suite (./pages/suite.js, also run here in Node against dist/):
 *
 * - kernels.html, served with `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'`:
 *   the strictest policy under which WebAssembly may run, so this also shows that the
 *   bundle needs no eval. `init()` must select WebAssembly.
 * - kernels-no-wasm.html, served with `script-src 'self'`: compiling WebAssembly is
 *   forbidden, `init()` must resolve with the TypeScript backend active.
 *
 * Numbers must match Node's on the same backend and a naive float64 reference computed
 * here, within 1e-12 relative to each entry's magnitude before cancellation (for a
 * product, the same product of absolute values); Random's sequences and error
 * codes/messages must be identical.
 *
 * Without Chromium the browser tests are skipped with a note, unless
 * LATENTSPACE_REQUIRE_BROWSER=1 (`npm run test:browser`, CI), where they fail.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Core from '../../src/core/index.js';
import type * as Linalg from '../../src/linalg/index.js';
import type * as Wasm from '../../src/wasm/index.js';
import { moduleNames, runModules, type ModuleResults } from './pages/modules.js';
import { cases, runSuite, type Case, type CaseValue, type Run, type SuiteResult } from './pages/suite.js';
import { startStaticServer, type StaticServer } from './server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const PAGES = fileURLToPath(new URL('./pages/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRE_BROWSER = process.env.LATENTSPACE_REQUIRE_BROWSER === '1';
const SKIP_NOTE =
  `no Chromium at ${CHROMIUM}: install Debian's with \`apt-get install -y chromium\` ` +
  '(or set CHROMIUM_PATH to a Chromium or Chrome binary) to run the browser tests';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];
const RTOL = 1e-12;

const PAGE_WASM = '/pages/kernels.html';
const PAGE_NO_WASM = '/pages/kernels-no-wasm.html';
const CSP: Record<string, string> = {
  [PAGE_WASM]: "script-src 'self' 'wasm-unsafe-eval'",
  [PAGE_NO_WASM]: "script-src 'self'",
};

type PageOutcome = { ok: true; value: SuiteResult } | { ok: false; error: string };

declare global {
  interface Window {
    __latentspace?: Promise<PageOutcome>;
  }
}

/** Fails with the build hint when dist/ lacks an entry this test loads. */
function assertDist(): void {
  for (const entry of ['core.js', 'linalg.js', 'wasm.js']) {
    if (!existsSync(join(DIST, entry))) {
      throw new Error(`dist/${entry} is missing: run npm run build first (npm test and npm run test:browser build before testing)`);
    }
  }
}

async function loadDist(): Promise<{ linalg: typeof Linalg; wasm: typeof Wasm; core: typeof Core }> {
  // import() of a computed URL is untyped; the src/ types describe what tsup built from them.
  const url = (name: string): string => pathToFileURL(join(DIST, `${name}.js`)).href;
  const linalg: typeof Linalg = await import(url('linalg'));
  const wasm: typeof Wasm = await import(url('wasm'));
  const core: typeof Core = await import(url('core'));
  return { linalg, wasm, core };
}

// ---------------------------------------------------------------------------------------
// The naive float64 reference, and the scale each entry's error is measured against.

interface Reference {
  value: CaseValue;
  /** Per entry (flattened like `value`): the magnitude before cancellation; 0 means exact. */
  scale: number[];
}

function flat(X: number[][]): { rows: number; cols: number; at: (i: number, j: number) => number } {
  return { rows: X.length, cols: X[0]!.length, at: (i, j) => X[i]![j]! };
}

function product(A: number[][], B: number[][], transA: boolean, transB: boolean): Reference {
  const a = flat(A);
  const b = flat(B);
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const opA = (i: number, p: number): number => (transA ? a.at(p, i) : a.at(i, p));
  const opB = (p: number, j: number): number => (transB ? b.at(j, p) : b.at(p, j));
  const data: number[] = [];
  const scale: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        s += opA(i, p) * opB(p, j);
        t += Math.abs(opA(i, p) * opB(p, j));
      }
      data.push(s);
      scale.push(t);
    }
  }
  return { value: { rows: m, cols: n, data }, scale };
}

function reference(c: Case): Reference {
  switch (c.op) {
    case 'matmul':
      return product(c.A, c.B, c.transA, c.transB);
    case 'gram':
      return c.outer ? product(c.X, c.X, false, true) : product(c.X, c.X, true, false);
    case 'rowSqNorms': {
      const data = c.X.map((row) => row.reduce((s, v) => s + v * v, 0));
      return { value: data, scale: data };
    }
    case 'sqDistances': {
      const B = c.B ?? c.A;
      const data: number[] = [];
      const scale: number[] = [];
      const norm = (r: number[]): number => r.reduce((s, v) => s + v * v, 0);
      for (const [i, a] of c.A.entries()) {
        for (const [j, b] of B.entries()) {
          data.push(a.reduce((s, v, p) => s + (v - b[p]!) ** 2, 0));
          // ‖a‖² + ‖b‖² − 2ab: the error scales with the norms; a self-distance is exactly 0.
          scale.push(c.B === null && i === j ? 0 : norm(a) + norm(b));
        }
      }
      return { value: { rows: c.A.length, cols: B.length, data }, scale };
    }
    case 'argminRows': {
      const index: number[] = [];
      const values: number[] = [];
      for (const row of c.D) {
        let best = 0;
        for (let j = 1; j < row.length; j++) if (row[j]! < row[best]!) best = j;
        index.push(best);
        values.push(row[best]!);
      }
      return { value: { index, values }, scale: [] };
    }
    case 'dot': {
      let s = 0;
      let t = 0;
      c.x.forEach((v, i) => {
        s += v * c.y[i]!;
        t += Math.abs(v * c.y[i]!);
      });
      return { value: s, scale: [t] };
    }
    case 'axpy': {
      const data = c.x.map((v, i) => c.alpha * v + c.y[i]!);
      return { value: data, scale: c.x.map((v, i) => Math.abs(c.alpha * v) + Math.abs(c.y[i]!)) };
    }
  }
}

/** The first disagreement between `actual` and `expected` beyond RTOL · scale, or null. */
function mismatch(actual: CaseValue, expected: CaseValue, scale: number[]): string | null {
  const numbers = (v: CaseValue): number[] => {
    if (typeof v === 'number') return [v];
    if (Array.isArray(v)) return v;
    if ('data' in v) return v.data;
    return [...v.index, ...v.values];
  };
  if (typeof actual !== typeof expected || Array.isArray(actual) !== Array.isArray(expected)) {
    return `received ${JSON.stringify(actual).slice(0, 80)}, expected ${JSON.stringify(expected).slice(0, 80)}`;
  }
  if (typeof actual === 'object' && !Array.isArray(actual) && typeof expected === 'object' && !Array.isArray(expected)) {
    if ('rows' in actual && 'rows' in expected && (actual.rows !== expected.rows || actual.cols !== expected.cols)) {
      return `shape ${actual.rows} × ${actual.cols}, expected ${expected.rows} × ${expected.cols}`;
    }
  }
  const a = numbers(actual);
  const e = numbers(expected);
  if (a.length !== e.length) return `${a.length} values, expected ${e.length}`;
  for (let i = 0; i < e.length; i++) {
    const tol = RTOL * (scale[i] ?? 0);
    if (!(Math.abs(a[i]! - e[i]!) <= tol)) {
      return `entry ${i}: ${a[i]} vs ${e[i]} (difference ${Math.abs(a[i]! - e[i]!)}, allowed ${tol})`;
    }
  }
  return null;
}

const CASES = cases();
const REFERENCES = new Map(CASES.map((c) => [c.name, reference(c)] as const));

/** Every case of `run` against `expected` (another run, or the reference when omitted). */
function compareRun(label: string, run: Run, expected?: Run): string[] {
  const problems: string[] = [];
  for (const c of CASES) {
    const ref = REFERENCES.get(c.name)!;
    const got = run.results[c.name];
    if (got === undefined) {
      problems.push(`${label} ${c.name}: missing`);
      continue;
    }
    if (!got.ok) {
      problems.push(`${label} ${c.name}: threw ${got.error.name} ${got.error.code ?? ''}: ${got.error.message}`);
      continue;
    }
    const want = expected?.results[c.name];
    const target = want === undefined ? ref.value : want.ok ? want.value : null;
    if (target === null) continue; // reported when `expected` itself is checked
    const problem = mismatch(got.value, target, ref.scale);
    if (problem !== null) problems.push(`${label} ${c.name}: ${problem}`);
  }
  return problems;
}

const EXPECTED_CODES: Record<string, string> = {
  ragged: 'SHAPE_MISMATCH',
  empty: 'EMPTY_INPUT',
  emptyRow: 'EMPTY_INPUT',
  nan: 'NON_FINITE',
  infinity: 'NON_FINITE',
  string: 'INVALID_INPUT',
  nullInput: 'INVALID_INPUT',
  flatNoShape: 'INVALID_INPUT',
  flatWrongShape: 'SHAPE_MISMATCH',
  matmulShapes: 'SHAPE_MISMATCH',
  dotLengths: 'SHAPE_MISMATCH',
  seed: 'INVALID_OPTION',
};

/**
 * Compares Random's normal draws exactly, and on a difference explains it: ECMAScript lets
 * Math.log be implementation-approximated, and V8 versions round it differently (Node
 * 20's and Chromium's disagree in the last bit for some arguments), so a normal() built on
 * Math.log is reproducible across engines only with a logarithm made of + − × ÷.
 */
function normalMismatch(actual: SuiteResult['random']['normal'], expected: SuiteResult['random']['normal']): string | null {
  let differ = 0;
  let total = 0;
  let worst = 0;
  for (const [seed, draws] of Object.entries(expected)) {
    for (const [kind, values] of Object.entries(draws)) {
      values.forEach((v, i) => {
        const w = actual[seed]?.[kind]?.[i];
        total++;
        if (w !== v) {
          differ++;
          worst = Math.max(worst, w === undefined ? Infinity : Math.abs(w - v) / Math.abs(v));
        }
      });
    }
  }
  if (differ === 0) return null;
  return `Random.normal differs from Node in ${differ} of ${total} draws (largest relative difference ${worst.toExponential(2)}). ` +
    'Math.log is implementation-approximated in ECMAScript and differs between V8 versions; ' +
    'normal() must take its logarithm from core/math.ts (portableLog, built from + − × ÷) to give the same draws in every engine.';
}

async function loadModules(): Promise<Record<string, unknown>> {
  const loaded = await Promise.all(moduleNames.map((name) => import(pathToFileURL(join(DIST, `${name}.js`)).href)));
  return Object.fromEntries(moduleNames.map((name, i) => [name, loaded[i]]));
}

/**
 * Differences between the module results of two runs on one backend: every array within
 * `rtol` of the largest magnitude in it (the modules chain many kernels, so the bound is
 * looser than the kernels' 1e-12, and still far below any real disagreement).
 */
function compareModules(label: string, actual: ModuleResults | undefined, expected: ModuleResults | undefined, backend: 'wasm' | 'js', rtol = 1e-9): string[] {
  const problems: string[] = [];
  const a = actual?.[backend], e = expected?.[backend];
  if (a === undefined || e === undefined) return [`${label}: no ${backend} results`];
  for (const name of moduleNames) {
    const ra = a[name], re = e[name];
    if (!ra?.ok || !re?.ok) {
      problems.push(`${label} ${name}: ${ra?.ok ? '' : ra?.error} ${re?.ok ? '' : re?.error}`);
      continue;
    }
    for (const [key, ev] of Object.entries(re.value)) {
      const av = ra.value[key];
      const scale = Math.max(1e-300, ...ev.map(Math.abs));
      if (av === undefined || av.length !== ev.length) problems.push(`${label} ${name} ${key}: length differs`);
      else if (av.some((v, i) => !(Math.abs(v - ev[i]!) <= rtol * scale))) problems.push(`${label} ${name} ${key}: differs beyond ${rtol}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------

let node: SuiteResult;
let server: StaticServer | undefined;
let context: BrowserContext | undefined;
let userDataDir: string | undefined;
const pages = new Map<string, Promise<{ result: SuiteResult; csp: string | undefined; log: string[] }>>();

/** Loads a page once and returns the suite's outcome, with the console for diagnostics. */
function openPage(path: string): Promise<{ result: SuiteResult; csp: string | undefined; log: string[] }> {
  let pending = pages.get(path);
  if (pending === undefined) {
    pending = (async () => {
      if (context === undefined || server === undefined) throw new Error('the browser did not start');
      const page = await context.newPage();
      const log: string[] = [];
      page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      try {
        const response = await page.goto(server.origin + path, { waitUntil: 'load' });
        if (response === null || response.status() !== 200) throw new Error(`GET ${path}: status ${response?.status()}`);
        const csp = response.headers()['content-security-policy'];
        try {
          await page.waitForFunction(() => window.__latentspace !== undefined, null, { timeout: 30_000 });
        } catch {
          throw new Error(`${path}: kernels.js never ran.\n${log.join('\n')}\nrequests:\n${server.log.join('\n')}`);
        }
        const outcome = await page.evaluate(() => window.__latentspace!);
        if (!outcome.ok) throw new Error(`${path}: the suite failed in the page: ${outcome.error}\n${log.join('\n')}`);
        return { result: outcome.value, csp, log };
      } finally {
        await page.close();
      }
    })();
    pages.set(path, pending);
  }
  return pending;
}

describe('latentspace in headless Chromium, compared with Node', () => {
  beforeAll(async () => {
    assertDist();
    const dist = await loadDist();
    node = await runSuite(dist);
    node.modules = await runModules(await loadModules(), dist.wasm);
    if (!HAVE_CHROMIUM) {
      if (REQUIRE_BROWSER) throw new Error(`LATENTSPACE_REQUIRE_BROWSER=1 but ${SKIP_NOTE}`);
      console.warn(`[test/browser] skipping the browser tests: ${SKIP_NOTE}`);
      return;
    }
    server = await startStaticServer({
      mounts: { '/dist/': DIST, '/pages/': PAGES },
      headers: Object.fromEntries(Object.entries(CSP).map(([path, policy]) => [path, { 'Content-Security-Policy': policy }])),
    });
    userDataDir = mkdtempSync(join(tmpdir(), 'latentspace-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('Node: init() selects WebAssembly, and both backends match the float64 reference', () => {
    expect(node.init, node.init.reason ?? '').toMatchObject({ resolved: 'wasm', active: 'wasm' });
    expect(node.afterInit.backend).toBe('wasm');
    expect(node.js.backend).toBe('js');
    expect([...compareRun('node wasm', node.afterInit), ...compareRun('node js', node.js)]).toEqual([]);
  });

  it('Node: errors carry the documented codes and name the argument', () => {
    for (const [key, code] of Object.entries(EXPECTED_CODES)) {
      const e = node.errors[key];
      expect(e, key).toMatchObject({ threw: true, isLatentSpaceError: true, name: 'LatentSpaceError', code });
    }
    for (const [key, name] of [['ragged', 'X'], ['emptyRow', 'Y'], ['nan', 'X'], ['infinity', 'Z'], ['string', 'X']] as const) {
      const e = node.errors[key]!;
      expect(e.threw && e.message.startsWith(`${name}:`), `${key}: ${JSON.stringify(e)}`).toBe(true);
    }
  });

  describe("page with CSP script-src 'self' 'wasm-unsafe-eval'", () => {
    it('init() activates WebAssembly; useBackend switches to TypeScript and back', async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result, csp } = await openPage(PAGE_WASM);
      expect(csp).toBe(CSP[PAGE_WASM]);
      expect(result.init).toEqual({ before: 'js', resolved: 'wasm', active: 'wasm', reason: null });
      expect(result.afterInit.backend).toBe('wasm');
      expect(result.js.backend).toBe('js');
      expect(result.backToWasm).toEqual({ threw: false, active: 'wasm' });
    });

    it('kernels on both backends match Node and the float64 reference', async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result } = await openPage(PAGE_WASM);
      expect([
        ...compareRun('chromium wasm vs reference', result.afterInit),
        ...compareRun('chromium js vs reference', result.js),
        ...compareRun('chromium wasm vs node wasm', result.afterInit, node.afterInit),
        ...compareRun('chromium js vs node js', result.js, node.js),
      ]).toEqual([]);
    });

    it('the modules (pca, …) give Node’s answers on both backends', async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result } = await openPage(PAGE_WASM);
      expect([
        ...compareModules('chromium wasm vs node wasm', result.modules, node.modules, 'wasm'),
        ...compareModules('chromium js vs node js', result.modules, node.modules, 'js'),
        ...compareModules('node wasm vs node js', { js: node.modules?.wasm }, node.modules, 'js', 1e-8),
      ]).toEqual([]);
    });

    it("Random's integer and uniform draws are exactly Node's", async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result } = await openPage(PAGE_WASM);
      expect(result.random.integer).toStrictEqual(node.random.integer);
    });

    it("Random's normal draws are exactly Node's", async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result } = await openPage(PAGE_WASM);
      const problem = normalMismatch(result.random.normal, node.random.normal);
      expect(problem, `${problem}\nbrowser: ${result.engine}\nnode: ${node.engine}`).toBeNull();
    });

    it('asMatrix and the public functions throw the same errors as in Node', async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result } = await openPage(PAGE_WASM);
      expect(result.errors).toStrictEqual(node.errors);
    });
  });

  describe("page with CSP script-src 'self' (WebAssembly forbidden)", () => {
    it('init() resolves with the TypeScript backend active', async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result, csp, log } = await openPage(PAGE_NO_WASM);
      expect(csp).toBe(CSP[PAGE_NO_WASM]);
      expect(result.init, log.join('\n')).toMatchObject({ before: 'js', resolved: 'js', active: 'js' });
      expect(result.init.reason, 'init() should say why it stayed on js').toMatch(/\S/);
      console.info(`[test/browser] under script-src 'self', init() said: ${result.init.reason}`);
      expect(result.afterInit.backend).toBe('js');
      // Asking for WebAssembly again cannot succeed: it throws WASM_UNAVAILABLE or stays on js.
      expect(result.backToWasm.active).toBe('js');
      if (result.backToWasm.threw) {
        expect(result.backToWasm).toMatchObject({ isLatentSpaceError: true, code: 'WASM_UNAVAILABLE' });
      }
    });

    it('the answers are still right, and equal to Node', async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const { result } = await openPage(PAGE_NO_WASM);
      expect([
        ...compareRun('chromium (no wasm) vs reference', result.afterInit),
        ...compareRun('chromium (no wasm) vs node js', result.afterInit, node.js),
        ...compareRun('chromium (no wasm) js vs node js', result.js, node.js),
      ]).toEqual([]);
      expect(result.random.integer).toStrictEqual(node.random.integer);
      expect(result.errors).toStrictEqual(node.errors);
      expect(compareModules('chromium (no wasm) vs node js', result.modules, node.modules, 'js')).toEqual([]);
    });
  });
});
