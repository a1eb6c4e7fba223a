// The public surface is exactly what docs/api.md lists: every entry point's runtime exports
// (Object.keys of the module) against the page's values, and its type exports (as the
// compiler sees the entry) against the page's types. Adding or removing an export without
// the page, or the page without the code, fails here.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import { moduleOrder } from '../../scripts/modules.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VALUE_KINDS = new Set(['function', 'class', 'const', 'namespace']);
const TYPE_KINDS = new Set(['type', 'interface']);

interface Entry { readonly values: string[]; readonly types: string[] }

/** docs/api.md as { 'latentspace' | 'latentspace/<module>': { values, types } }, names sorted. */
function documented(): Map<string, Entry> {
  const text = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
  const out = new Map<string, Entry>();
  let current: Entry | undefined;
  for (const line of text.split('\n')) {
    const heading = /^## `(latentspace(?:\/\w+)?)`\s*$/.exec(line);
    if (heading) {
      expect(out.has(heading[1]!), `docs/api.md: ${heading[1]} has two sections`).toBe(false);
      current = { values: [], types: [] };
      out.set(heading[1]!, current);
      continue;
    }
    if (!line.startsWith('- `') || current === undefined) continue;
    const item = /^- `([A-Za-z_$][\w$]*)` \((\w+)\): \S/.exec(line);
    expect(item, `docs/api.md: malformed line "${line}" (expected "- \`name\` (kind): description")`).not.toBeNull();
    const [, name, kind] = item!;
    expect(VALUE_KINDS.has(kind!) || TYPE_KINDS.has(kind!), `docs/api.md: unknown kind "${kind}" for ${name}`).toBe(true);
    const list = VALUE_KINDS.has(kind!) ? current.values : current.types;
    expect(list.includes(name!), `docs/api.md: ${name} listed twice in one section`).toBe(false);
    list.push(name!);
  }
  for (const entry of out.values()) {
    entry.values.sort();
    entry.types.sort();
  }
  return out;
}

const docs = documented();
const core = docs.get('latentspace/core')!;

/** The type-only exports of every src/<module>/index.ts, as the compiler resolves them. */
function typeExports(modules: readonly string[]): Map<string, string[]> {
  const files = modules.map((m) => join(ROOT, 'src', m, 'index.ts'));
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [],
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  modules.forEach((m, i) => {
    const source = program.getSourceFile(files[i]!)!;
    const names = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = symbol.declarations?.[0];
      const typeOnly = declaration !== undefined && ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly);
      return typeOnly || !(target.flags & ts.SymbolFlags.Value);
    }).map((symbol) => symbol.name);
    out.set(m, names.sort());
  });
  return out;
}

describe('the public surface is docs/api.md', () => {
  it('has one section per entry point: the root and every module of scripts/modules.mjs', () => {
    expect([...docs.keys()]).toEqual(['latentspace', ...moduleOrder.map((m) => `latentspace/${m}`)]);
    expect(docs.get('latentspace')!.types).toEqual([]);
  });

  it('latentspace/core exports exactly its documented values, and no internal helper', async () => {
    const mod = await import('../../src/core/index.js');
    expect(Object.keys(mod).sort()).toEqual(core.values);
    for (const internal of ['fail', 'assertNever', 'describe', 'checkInt', 'checkNumber', 'checkOptions', 'checkChoice', 'nextTick', 'checkKind', 'loadModel', 'formatNumber', 'asRows']) {
      expect(Object.keys(mod)).not.toContain(internal);
    }
  });

  it('the root exports the module namespaces and the values of latentspace/core', () => {
    const namespaces = docs.get('latentspace')!.values;
    expect(namespaces).toEqual([...moduleOrder].sort());
    expect(Object.keys(root).sort()).toEqual([...namespaces, ...core.values].sort());
    expect(root.core.asMatrix).toBe(root.asMatrix);
  });

  it.each(moduleOrder)('latentspace/%s exports exactly its documented values', async (m) => {
    const mod = (root as unknown as Record<string, object>)[m]!;
    expect(Object.keys(mod).sort(), `docs/api.md, section latentspace/${m}`).toEqual(docs.get(`latentspace/${m}`)!.values);
  });

  it('every entry point exports exactly its documented types', () => {
    const types = typeExports(moduleOrder);
    for (const m of moduleOrder) {
      expect(types.get(m), `docs/api.md, section latentspace/${m}`).toEqual(docs.get(`latentspace/${m}`)!.types);
    }
  }, 120_000);
});
