// The computations of the browser test, written once and run twice: in headless Chromium
// (imported by kernels.js from the pages) and in Node (imported by kernels.test.ts). Both
// sides pass in the built ESM modules (dist/linalg.js, dist/wasm.js, dist/core.js) and get
// back plain values (numbers, arrays, strings) that survive Playwright's serialisation
// exactly. Plain JavaScript, because the browser loads it as is; suite.d.ts types it.

/**
 * A deterministic matrix that does not depend on the library's own Random: a fixed
 * pattern of non-integer values of both signs (h / 257 is not a binary fraction, so
 * products round and a different summation order shows up in the last bits).
 */
export function pattern(rows, cols, salt) {
  const out = [];
  for (let i = 0; i < rows; i++) {
    const row = [];
    for (let j = 0; j < cols; j++) {
      const h = ((i + 1) * 7919 + (j + 1) * 104729 + (salt + 1) * 1299709) % 2003;
      row.push(h / 257 - 3.9);
    }
    out.push(row);
  }
  return out;
}

/** Rows (arrays of numbers) as a row-major { rows, cols, data } matrix. */
export function flatData(rows) {
  const cols = rows[0].length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => data.set(r, i * cols));
  return { rows: rows.length, cols, data };
}

function transpose(X) {
  const rows = X.length;
  const cols = X[0].length;
  const out = [];
  for (let j = 0; j < cols; j++) {
    const row = [];
    for (let i = 0; i < rows; i++) row.push(X[i][j]);
    out.push(row);
  }
  return out;
}

/**
 * The kernel cases. Sizes cross the TypeScript GEMM's 4 × 4 micro-tile, its 128-row and
 * 256-deep blocks, and the SIMD lanes and unrolls of the WebAssembly kernels (odd sizes,
 * 1, and sizes just past a multiple of 2, 4, 8).
 */
export function cases() {
  const out = [];
  let salt = 0;
  const shapes = [[1, 1, 1], [2, 3, 4], [5, 7, 3], [9, 17, 33], [130, 300, 9], [33, 65, 31]];
  for (const [m, k, n] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const A = pattern(m, k, salt++);
        const B = pattern(k, n, salt++);
        out.push({
          name: `matmul ${m}x${k}x${n}${transA ? ' transA' : ''}${transB ? ' transB' : ''}`,
          op: 'matmul',
          A: transA ? transpose(A) : A,
          B: transB ? transpose(B) : B,
          transA,
          transB,
        });
      }
    }
  }
  for (const [r, c] of [[1, 1], [3, 5], [17, 9], [40, 131]]) {
    const X = pattern(r, c, salt++);
    out.push({ name: `gram ${r}x${c}`, op: 'gram', X, outer: false });
    out.push({ name: `gram outer ${r}x${c}`, op: 'gram', X, outer: true });
    out.push({ name: `rowSqNorms ${r}x${c}`, op: 'rowSqNorms', X });
  }
  for (const [m, n, d] of [[1, 1, 1], [4, 6, 3], [21, 13, 17], [64, 37, 70]]) {
    const A = pattern(m, d, salt++);
    const B = pattern(n, d, salt++);
    out.push({ name: `sqDistances ${m}x${n} d=${d}`, op: 'sqDistances', A, B });
    out.push({ name: `sqDistances self ${m} d=${d}`, op: 'sqDistances', A, B: null });
  }
  // Explicit matrices, so the answers are exact on every backend: ties go to the first.
  out.push({ name: 'argminRows ties', op: 'argminRows', D: [[3, 1, 2, 1], [0, 5, 0, -0.5], [7, 7, 7, 7]] });
  out.push({ name: 'argminRows 23x19', op: 'argminRows', D: pattern(23, 19, salt++) });
  out.push({ name: 'argminRows 5x70', op: 'argminRows', D: pattern(5, 70, salt++) });
  for (const n of [1, 3, 8, 17, 1000]) {
    const [x, y] = pattern(2, n, salt++);
    out.push({ name: `dot n=${n}`, op: 'dot', x, y });
    out.push({ name: `axpy n=${n}`, op: 'axpy', alpha: -1.75, x, y });
  }
  return out;
}

/** Odd-numbered cases go in as `{ rows, cols, data: Float64Array }`, the rest as number[][]. */
function input(X, i) {
  if (i % 2 === 0) return X;
  const rows = X.length;
  const cols = X[0].length;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) data.set(X[r], r * cols);
  return { rows, cols, data };
}

function matrixOut(M) {
  return { rows: M.rows, cols: M.cols, data: Array.from(M.data) };
}

/** Runs one case with the library; returns plain values. */
export function runCase(linalg, c, i) {
  switch (c.op) {
    case 'matmul':
      return matrixOut(linalg.matmul(input(c.A, i), input(c.B, i + 1), { transA: c.transA, transB: c.transB }));
    case 'gram':
      return matrixOut(linalg.gram(input(c.X, i), { outer: c.outer }));
    case 'rowSqNorms':
      return Array.from(linalg.rowSqNorms(input(c.X, i)));
    case 'sqDistances':
      return matrixOut(c.B === null ? linalg.sqDistances(input(c.A, i)) : linalg.sqDistances(input(c.A, i), input(c.B, i + 1)));
    case 'argminRows': {
      const r = linalg.argminRows(input(c.D, i));
      return { index: Array.from(r.index), values: Array.from(r.values) };
    }
    case 'dot':
      return linalg.dot(c.x, i % 2 ? Float64Array.from(c.y) : c.y);
    case 'axpy':
      return Array.from(linalg.axpy(c.alpha, c.x, c.y));
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

function runAll(linalg, wasm) {
  const results = {};
  cases().forEach((c, i) => {
    try {
      results[c.name] = { ok: true, value: runCase(linalg, c, i) };
    } catch (e) {
      results[c.name] = { ok: false, error: describeError(e) };
    }
  });
  return { backend: wasm.backend(), results };
}

function describeError(e) {
  if (e && typeof e === 'object') {
    return { name: String(e.name), code: e.code === undefined ? null : String(e.code), message: String(e.message) };
  }
  return { name: typeof e, code: null, message: String(e) };
}

/**
 * Sequences of every draw of core's Random, for several seeds. `integer` holds the draws
 * made of 32-bit integer arithmetic and exact double operations (uint32, uniform, int,
 * shuffle, sampling); `normal` holds the draws that go through Math.log and Math.sqrt.
 */
function randomSequences(core) {
  const integer = {};
  const normal = {};
  for (const seed of [0, 1, 42, 123456789, 2 ** 32 + 7, -3, 1e15, 2.75]) {
    const rng = new core.Random(seed);
    const take = (k, f) => Array.from({ length: k }, f);
    integer[String(seed)] = {
      uint32: take(8, () => rng.uint32()),
      uniform: take(8, () => rng.uniform()),
      uniformRange: take(3, () => rng.uniform(-2, 5)),
      int: take(6, () => rng.int(10)),
      intBig: take(3, () => rng.int(2 ** 32)),
      shuffle: Array.from(rng.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])),
      sampleDense: Array.from(rng.sampleWithoutReplacement(10, 8)),
      sampleSparse: Array.from(rng.sampleWithoutReplacement(1000, 6)),
    };
    const g = new core.Random(seed);
    normal[String(seed)] = {
      normal: take(7, () => g.normal()),
      scaled: take(3, () => g.normal(10, 0.5)),
      fillNormal: Array.from(g.fillNormal(new Float64Array(5))),
    };
  }
  return { integer, normal };
}

/** The errors of asMatrix (and of a public linalg function) for bad inputs. */
function errors(core, linalg) {
  const bad = {
    ragged: () => core.asMatrix([[1, 2], [3]], 'X'),
    empty: () => core.asMatrix([], 'X'),
    emptyRow: () => core.asMatrix([[]], 'Y'),
    nan: () => core.asMatrix([[1, Number.NaN]], 'X'),
    infinity: () => core.asMatrix([[1, 2], [3, Infinity]], 'Z'),
    string: () => core.asMatrix('abc', 'X'),
    nullInput: () => core.asMatrix(null, 'X'),
    flatNoShape: () => core.asMatrix(new Float64Array(4), 'X'),
    flatWrongShape: () => core.asMatrix(new Float64Array(4), 'X', { rows: 3, cols: 2 }),
    matmulShapes: () => linalg.matmul([[1, 2, 3]], [[1, 2]]),
    dotLengths: () => linalg.dot([1, 2], [1, 2, 3]),
    seed: () => new core.Random(Number.NaN),
  };
  const out = {};
  for (const [key, f] of Object.entries(bad)) {
    try {
      f();
      out[key] = { threw: false };
    } catch (e) {
      out[key] = { threw: true, isLatentSpaceError: e instanceof core.LatentSpaceError, ...describeError(e) };
    }
  }
  return out;
}

function engine() {
  const proc = globalThis.process;
  if (proc && proc.versions && proc.versions.node) return `Node ${proc.version} (V8 ${proc.versions.v8})`;
  return globalThis.navigator ? globalThis.navigator.userAgent : 'unknown';
}

/**
 * Everything the test compares: `await init()`, the kernels on the backend it selected,
 * then on `useBackend('js')`, then an attempt to go back to WebAssembly.
 */
export async function runSuite({ linalg, wasm, core }) {
  const initialBackend = wasm.backend();
  const initResult = await wasm.init();
  const init = {
    before: initialBackend,
    resolved: initResult.backend,
    active: wasm.backend(),
    reason: initResult.backend === 'js' ? String(initResult.reason) : null,
  };
  const afterInit = runAll(linalg, wasm);
  wasm.useBackend('js');
  const js = runAll(linalg, wasm);
  let backToWasm;
  try {
    wasm.useBackend('wasm');
    backToWasm = { threw: false, active: wasm.backend() };
  } catch (e) {
    backToWasm = { threw: true, isLatentSpaceError: e instanceof core.LatentSpaceError, ...describeError(e), active: wasm.backend() };
  }
  return {
    engine: engine(),
    init,
    afterInit,
    js,
    backToWasm,
    random: randomSequences(core),
    errors: errors(core, linalg),
  };
}
