// No import circles in src/ (#20): a module's value imports form a tree, so every module can be
// evaluated on its own (tree-shaking and the order of evaluation never depend on a circle).
// Type-only imports (`import type`) are erased by the compiler, but a circle of them still
// says two files share a concept that belongs in one, so they are held to a tree as well.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The relative modules a file imports or re-exports values (and with `types`, types) from. */
export function valueImports(file: string, text: string, types = false): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+([^;]*?)\s+from\s+'(\.[^']+)'/gms)) {
    if (!types && /^type\s/.test(m[2]!)) continue;
    out.push(resolve(dirname(file), m[3]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Every circle of the graph (each found once, from the first file of the walk that enters it). */
export function circles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>(), stack: string[] = [], found: string[][] = [];
  const visit = (v: string): void => {
    state.set(v, 'open');
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (state.get(w) === 'open') found.push([...stack.slice(stack.indexOf(w)), w]);
      else if (!state.has(w)) visit(w);
    }
    stack.pop();
    state.set(v, 'done');
  };
  for (const v of graph.keys()) if (!state.has(v)) visit(v);
  return found;
}

describe('imports in src/', () => {
  it('the circle finder finds a circle (a → b → a) and none in a tree', () => {
    expect(circles(new Map([['a', ['b']], ['b', ['a']]]))).toEqual([['a', 'b', 'a']]);
    expect(circles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
    const text = "import type { T } from './t.js';\nimport { f, type G } from './f.js';";
    expect(valueImports('/x/a.ts', text)).toEqual(['/x/f.ts']);
    expect(valueImports('/x/a.ts', text, true)).toEqual(['/x/t.ts', '/x/f.ts']);
  });

  it.each([['values', false], ['values and types', true]])('form no circle (%s)', (_, types) => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const graph = new Map(files.map((f) => [f, valueImports(f, readFileSync(f, 'utf8'), types)]));
    const named = circles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' → '));
    expect(named).toEqual([]);
  });
});
