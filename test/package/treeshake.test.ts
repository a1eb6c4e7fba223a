/**
 * Subpath imports tree-shake: a bundler (esbuild, minified, resolving `latentspace/…`
 * through the exports map to dist/) keeps only what an import needs. `latentspace/core`
 * must not drag in linalg, and `latentspace/linalg` must not drag in the WebAssembly
 * binary; `import * from 'latentspace/wasm'` is the positive control showing the markers
 * are found when the code is there. And a minified bundle still works: with
 * `"sideEffects": false` a bundler drops the bare `import './chunk-….js'` lines tsup emits,
 * so the bundle must not depend on them.
 */
import { spawnSync } from 'node:child_process';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDist, createConsumer, type Consumer } from './consumer.js';

/** Every WebAssembly binary begins with "\0asm", which is "AGFzbQ" in base64. */
const WASM_BASE64 = 'AGFzbQ';
/**
 * Property names of linalg's kernel table: minifiers rename variables but keep property
 * names, so these survive in any bundle that holds the kernels.
 */
const LINALG_MARKERS = ['rowSqNorms', 'argminRows', 'sqDistances'];

let consumer: Consumer;

async function bundle(name: string, source: string, platform: 'browser' | 'node' = 'browser'): Promise<{ code: string; inputs: string[] }> {
  const entry = consumer.write(`${name}.mjs`, source);
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: consumer.dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const inputs = Object.keys((result.metafile as Metafile).inputs).filter((path) => !path.endsWith(`${name}.mjs`));
  return { code, inputs };
}

describe('tree-shaking of the built subpaths (esbuild, minified)', () => {
  beforeAll(() => {
    assertDist();
    consumer = createConsumer();
  });
  afterAll(() => consumer?.remove());

  it('resolves latentspace/* to the ESM files in dist/', async () => {
    const { inputs } = await bundle('resolve', "import { asMatrix } from 'latentspace/core';\nglobalThis.out = asMatrix;\n");
    expect(inputs.length).toBeGreaterThan(0);
    for (const path of inputs) expect(path).toMatch(/(^|\/)dist\/[^/]+\.js$/);
  });

  it('positive control: all of latentspace/wasm holds the WebAssembly binary and the kernel table', async () => {
    const { code } = await bundle('wasm-all', "import * as wasm from 'latentspace/wasm';\nglobalThis.out = wasm;\n");
    expect(code).toContain(WASM_BASE64);
    const linalg = await bundle('linalg-all', "import * as linalg from 'latentspace/linalg';\nglobalThis.out = linalg;\n");
    for (const marker of LINALG_MARKERS) expect(linalg.code, marker).toContain(marker);
  });

  it("import { asMatrix } from 'latentspace/core' pulls neither linalg nor WebAssembly", async () => {
    const { code, inputs } = await bundle('core-only', "import { asMatrix } from 'latentspace/core';\nglobalThis.out = asMatrix;\n");
    const where = `core-only bundle (${code.length} bytes) from ${inputs.join(', ')}`;
    expect(code, where).not.toContain(WASM_BASE64);
    expect(code, where).not.toContain('WebAssembly');
    for (const marker of LINALG_MARKERS) expect(code, `${marker} in the ${where}`).not.toContain(marker);
  });

  it("import { matmul } from 'latentspace/linalg' does not pull the WebAssembly binary", async () => {
    const { code } = await bundle('matmul-only', "import { matmul } from 'latentspace/linalg';\nglobalThis.out = matmul;\n");
    expect(code).not.toContain(WASM_BASE64);
    expect(code).not.toContain('WebAssembly');
    const wasm = await bundle('wasm-init', "import { init } from 'latentspace/wasm';\nglobalThis.out = init;\n");
    expect(code.length, 'matmul alone should be smaller than init() with its binary').toBeLessThan(wasm.code.length);
  });

  it('a minified bundle of init() and matmul runs, on WebAssembly, with one backend switch', async () => {
    const { code } = await bundle('app', `
      import { init, backend } from 'latentspace/wasm';
      import { matmul, kernels } from 'latentspace/linalg';
      import { LatentSpaceError } from 'latentspace/core';
      const status = await init();
      let threw = null;
      try { matmul([[1, 2]], [[1, 2]]); } catch (e) { threw = e instanceof LatentSpaceError ? e.code : String(e); }
      console.log(JSON.stringify({
        init: status.backend, backend: backend(), kernels: kernels().name,
        product: Array.from(matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]], { transB: true }).data), threw,
      }));
    `, 'node');
    const file = consumer.write('app.bundle.mjs', code);
    const child = spawnSync(process.execPath, [file], { cwd: consumer.dir, encoding: 'utf8', timeout: 30_000 });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toStrictEqual({
      init: 'wasm', backend: 'wasm', kernels: 'wasm', product: [17, 23, 39, 53], threw: 'SHAPE_MISMATCH',
    });
  });
});
