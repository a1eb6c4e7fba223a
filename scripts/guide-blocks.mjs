#!/usr/bin/env node
// The code blocks of the guides (docs/*.md) and the README, as test/docs/guides.test.ts runs
// them: every ```ts and ```js block is a program of its own, run against the built package.
// A block that cannot run by itself is marked on its fence, with the reason after the
// marker, and is listed but not run:
//
//   ```ts no-run: needs a browser canvas
//
// (GitHub and typedoc read only the first word of the fence as the language.)
//
//   node scripts/guide-blocks.mjs          lists every block: file:line, language, run or why not
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript']);

/**
 * The fenced blocks of one Markdown text whose language is TypeScript or JavaScript:
 * `{ lang, line, code, noRun }`, `line` the 1-based line of the opening fence, `noRun` the
 * reason given after `no-run` (null for a block that runs). A `no-run` without a reason
 * gives `noRun: ''`, which the test rejects.
 */
export function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i]);
    if (open === null) continue;
    const [, indent, fence, lang, rest] = open;
    const close = new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end])) end++;
    if (RUNNABLE.has(lang)) {
      const marker = /(?:^|\s)no-run\b[\s:—–-]*(.*)$/.exec(rest);
      const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      blocks.push({ lang, line: i + 1, code: code.join('\n') + '\n', noRun: marker === null ? null : marker[1].trim() });
    }
    i = end;
  }
  return blocks;
}

/** The guides and the README, as paths relative to the repository: docs/*.md, then README.md. */
export function guideFiles() {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return [...docs, 'README.md'];
}

/** Every block of every guide: `{ file, lang, line, code, noRun }`. */
export function guideBlocks() {
  return guideFiles().flatMap((file) =>
    codeBlocks(readFileSync(join(ROOT, file), 'utf8')).map((block) => ({ file, ...block })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const blocks = guideBlocks();
  for (const b of blocks) {
    console.log(`${b.file}:${b.line}\t${b.lang}\t${b.noRun === null ? 'runs' : `no-run: ${b.noRun || '(no reason given)'}`}`);
  }
  const skipped = blocks.filter((b) => b.noRun !== null).length;
  console.log(`${blocks.length} blocks: ${blocks.length - skipped} run, ${skipped} marked no-run`);
}
