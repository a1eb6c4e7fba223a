/**
 * The exports map works for real consumers: a temporary project with
 * node_modules/latentspace linked to this repository `require`s the CJS build and
 * `import`s the ESM build in a separate Node process (no vitest transform in between).
 * Within each format the subpaths must share one module instance: `latentspace/wasm`
 * switches the kernels `latentspace/linalg` calls, and errors thrown by linalg are
 * instances of core's LatentSpaceError.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDist, createConsumer, type Consumer } from './consumer.js';

let consumer: Consumer;

/** Runs a script of the consumer with Node and returns the JSON it printed last. */
function runNode(file: string, source: string): Record<string, unknown> {
  const path = consumer.write(file, source);
  const child = spawnSync(process.execPath, [path], { cwd: consumer.dir, encoding: 'utf8', timeout: 30_000 });
  if (child.status !== 0) throw new Error(`node ${file} exited with ${child.status}:\n${child.stderr}${child.stdout}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

// The same probe in both formats; `load` is `require` or `import`, `resolve` names the file.
const PROBE = `
  const before = wasm.backend();
  const status = INIT;
  let errorIsCore = false;
  try { linalg.matmul([[1]], [[1, 2], [3, 4]]); } catch (e) { errorIsCore = e instanceof core.LatentSpaceError; }
  const result = {
    resolved: RESOLVE('latentspace/linalg'),
    before,
    init: status.backend,
    active: wasm.backend(),
    linalgKernels: linalg.kernels().name,
    matmul: Array.from(linalg.matmul([[1, 2], [3, 4]], [[5], [6]]).data),
    errorIsCore,
    rootSharesCore: root.LatentSpaceError === core.LatentSpaceError,
    rootSharesLinalg: root.linalg.matmul === linalg.matmul,
    random: new core.Random(42).uint32(),
    version: PKG.version,
  };
  wasm.useBackend('js');
  result.afterUseJs = [wasm.backend(), linalg.kernels().name];
  console.log(JSON.stringify(result));
`;

/** What the probe must see from either build: one backend switch, shared by every subpath. */
const PROBE_EXPECTED = {
  before: 'js',
  init: 'wasm',
  active: 'wasm',
  linalgKernels: 'wasm',
  matmul: [17, 39],
  errorIsCore: true,
  rootSharesCore: true,
  rootSharesLinalg: true,
  afterUseJs: ['js', 'js'],
};

describe('the exports map from a consumer project', () => {
  beforeAll(() => {
    assertDist();
    consumer = createConsumer();
  });
  afterAll(() => consumer?.remove());

  it("require('latentspace/…') loads the CJS build, with one backend switch shared by the subpaths", () => {
    const out = runNode('probe.cjs', `
      const core = require('latentspace/core');
      const linalg = require('latentspace/linalg');
      const wasm = require('latentspace/wasm');
      const root = require('latentspace');
      const PKG = require('latentspace/package.json');
      ${PROBE.replace('INIT', 'wasm.initSync()').replace('RESOLVE', 'require.resolve')}
    `);
    expect(out.resolved).toMatch(/[/\\]dist[/\\]linalg\.cjs$/);
    expect(out).toMatchObject(PROBE_EXPECTED);
  });

  it("import 'latentspace/…' loads the ESM build, with one backend switch shared by the subpaths", () => {
    const out = runNode('probe.mjs', `
      import * as core from 'latentspace/core';
      import * as linalg from 'latentspace/linalg';
      import * as wasm from 'latentspace/wasm';
      import * as root from 'latentspace';
      import { createRequire } from 'node:module';
      const PKG = createRequire(import.meta.url)('latentspace/package.json');
      ${PROBE.replace('INIT', 'await wasm.init()').replace('RESOLVE', 'import.meta.resolve')}
    `);
    expect(out.resolved).toMatch(/[/\\]dist[/\\]linalg\.js$/);
    expect(out).toMatchObject(PROBE_EXPECTED);
  });

  it('CJS and ESM builds agree', () => {
    const cjs = runNode('agree.cjs', `
      const { Random } = require('latentspace/core');
      const { gram } = require('latentspace/linalg');
      console.log(JSON.stringify({ r: new Random(7).uniform(), g: Array.from(gram([[1.5, 2], [3, -4]]).data) }));
    `);
    const esm = runNode('agree.mjs', `
      import { Random } from 'latentspace/core';
      import { gram } from 'latentspace/linalg';
      console.log(JSON.stringify({ r: new Random(7).uniform(), g: Array.from(gram([[1.5, 2], [3, -4]]).data) }));
    `);
    expect(esm).toStrictEqual(cjs);
  });
});
