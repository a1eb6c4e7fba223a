#!/usr/bin/env node
// Checks the package as npm would publish it (`npm run check:package`, after `npm run build`):
//
// 1. package.json declares no runtime dependencies (latentspace has none, by design), and
//    maps every subpath in typesVersions (for TypeScript's node10 resolution);
// 2. no built file contains `eval(` or `new Function(` (a Content-Security-Policy without
//    'unsafe-eval' must be able to load every module);
// 3. `npm pack` into a temporary folder, and the tarball holds only dist/ and npm's
//    always-included files (package.json, README, LICENSE), and every file the exports
//    map names;
// 4. publint on the tarball, --strict (warnings fail too: each is a real publishing
//    defect, such as a condition order TypeScript misreads; suggestions are printed);
// 5. @arethetypeswrong/cli (attw) on the tarball with its default profile ("strict": node10,
//    node16 CJS and ESM, bundler), no rule ignored;
// 6. the tarball installed into a scratch project, and a file importing every entry point
//    type-checked with strict and skipLibCheck false under module nodenext, node16 (ESM and
//    CJS) and bundler.
//
// Runs every check it can (it stops early only when a later step cannot run: no dist/, a
// failed pack, missing tools) and exits non-zero if any failed, saying what to do.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const bin = (name) => join(root, 'node_modules', '.bin', name);

let failures = 0;
let failuresBefore = 0;
function section(title) {
  failuresBefore = failures;
  console.log(`\n== ${title}`);
}
/** True when the current section has found no problem so far. */
function clean() {
  return failures === failuresBefore;
}
function ok(message) {
  console.log(`ok: ${message}`);
}
function problem(message) {
  failures++;
  console.error(`FAIL: ${message}`);
}
/** Stops here when anything failed (used where the next steps depend on what came before). */
function finish() {
  if (failures > 0) {
    console.error(`\ncheck-package: ${failures} problem(s)`);
    process.exit(1);
  }
}
function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: options.capture ? 'pipe' : 'inherit', ...options });
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

section('runtime dependencies');
for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
  const value = pkg[field];
  const names = Array.isArray(value) ? value : Object.keys(value ?? {});
  if (names.length > 0) problem(`package.json ${field} must be empty (zero runtime dependencies), has: ${names.join(', ')}`);
}
if (clean()) ok('package.json declares no runtime dependencies');

section('typesVersions covers every subpath');
// TypeScript's node10 resolution (moduleResolution "node") ignores `exports`, so it finds
// the types of `latentspace/linalg` only through typesVersions; attw checks node10 below.
const subpaths = Object.keys(pkg.exports ?? {}).filter((key) => key !== '.' && !key.endsWith('.json'));
const mapped = pkg.typesVersions?.['*'] ?? {};
const unmapped = subpaths.filter((key) => !(key.slice(2) in mapped) && !('*' in mapped));
if (unmapped.length > 0) {
  problem(`package.json typesVersions["*"] lacks ${unmapped.join(', ')}; run node scripts/sync-exports.mjs`);
} else ok(`${subpaths.length} subpaths mapped`);

section('dist/ has no eval');
if (!existsSync(join(dist, 'index.js'))) {
  problem('dist/ is missing or incomplete: run npm run build first');
  finish();
}
// `eval(` as a word (`globalThis.eval (` too, `retrieval(` not), and `new Function(`, with any spacing.
const forbidden = [/\beval\s*\(/, /\bnew\s+Function\s*\(/];
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const distFiles = walk(dist);
for (const file of distFiles) {
  const text = readFileSync(file, 'utf8');
  for (const pattern of forbidden) {
    const match = pattern.exec(text);
    if (match) {
      const line = text.slice(0, match.index).split('\n').length;
      problem(`${relative(root, file)}:${line} contains ${JSON.stringify(match[0])}; the bundle must load under a CSP without 'unsafe-eval'`);
    }
  }
}
if (clean()) ok(`${distFiles.length} files in dist/, none with eval( or new Function(`);

const work = mkdtempSync(join(tmpdir(), 'latentspace-pack-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

section('npm pack');
// --ignore-scripts: packing must not rebuild; this checks what `npm run build` produced.
const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { capture: true });
if (pack.status !== 0) {
  process.stderr.write(pack.stderr);
  problem(`npm pack exited with ${pack.status}`);
  finish();
}
const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
const tarball = join(work, packed.filename);
const files = packed.files.map((f) => f.path);
console.log(`${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked`);
const allowed = (path) => path.startsWith('dist/') || path === 'package.json' || /^(README|LICEN[CS]E|CHANGELOG)(\.|$)/i.test(path);
const stray = files.filter((path) => !allowed(path));
if (stray.length > 0) problem(`the tarball holds files outside dist/: ${stray.join(', ')} (check "files" in package.json)`);
// Every target of the exports map (and main/module/types) must be in the tarball.
const targets = new Set([pkg.main, pkg.module, pkg.types].filter(Boolean));
const collect = (value) => {
  if (typeof value === 'string') targets.add(value);
  else if (value && typeof value === 'object') Object.values(value).forEach(collect);
};
collect(pkg.exports);
for (const target of targets) {
  const path = target.replace(/^\.\//, '');
  if (!files.includes(path)) problem(`package.json points at ${target}, which is not in the tarball (run npm run build?)`);
}
if (!files.some((f) => /^README/i.test(f))) console.warn('warning: no README in the tarball');
if (!files.some((f) => /^LICEN[CS]E/i.test(f))) console.warn('warning: no LICENSE file in the tarball (package.json says MIT)');
if (clean()) ok(`${targets.size} entry files present, nothing outside dist/`);

for (const tool of ['publint', 'attw']) {
  if (!existsSync(bin(tool))) {
    problem(`node_modules/.bin/${tool} is missing: run npm ci (publint and @arethetypeswrong/cli are devDependencies)`);
    finish();
  }
}

section('publint');
// --strict: errors and warnings fail the check; suggestions are printed only.
const publint = run(bin('publint'), ['run', tarball, '--strict']);
if (publint.status !== 0) problem(`publint exited with ${publint.status}`);
else ok('publint found no errors or warnings');

section('are the types wrong (attw)');
// Default profile ("strict"): node10, node16 (CJS and ESM) and bundler resolution, no
// ignored rules (node10 passes thanks to typesVersions, checked above). --no-color keeps
// CI logs readable.
const attw = run(bin('attw'), [tarball, '--no-color', '--format', 'table-flipped']);
if (attw.status !== 0) problem(`attw exited with ${attw.status}`);
else ok('attw found no problems');

section('types type-check in a user\'s project (strict, skipLibCheck false)');
// attw and publint do not type-check the declarations themselves: a user with
// skipLibCheck false saw TS2693 ("'Matrix' only refers to a type") from bundled .d.ts.
// Install the tarball into a scratch project and type-check a file importing every entry
// point under each module setting users have, in ESM and CommonJS.
typecheckConsumer(tarball);

finish();
console.log(`\ncheck-package: all checks passed (${packed.filename})`);

function typecheckConsumer(tgz) {
  const project = join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', tgz], { capture: true, cwd: project });
  if (install.status !== 0) {
    process.stderr.write(install.stderr);
    problem(`npm install of the tarball into a scratch project exited with ${install.status}`);
    return;
  }
  const subpaths = ['latentspace', ...Object.keys(pkg.exports).filter((k) => k !== '.' && !k.endsWith('.json')).map((k) => `latentspace/${k.slice(2)}`)];
  const alias = (path) => path.replace(/\W/g, '_');
  // Every entry point, and one use of a type and a value from each, so a broken
  // declaration cannot hide behind an unused import.
  const body = subpaths.map((path) => `  ${alias(path)},`).join('\n');
  const uses = `const m: import('latentspace/core').Matrix = { rows: 1, cols: 1, data: new Float64Array(1) };\nexport const all = [m,\n${body}\n];\n`;
  writeFileSync(join(project, 'esm.mts'), subpaths.map((path) => `import * as ${alias(path)} from '${path}';`).join('\n') + '\n' + uses);
  writeFileSync(join(project, 'cjs.cts'), subpaths.map((path) => `import ${alias(path)} = require('${path}');`).join('\n') + '\n' + uses);
  writeFileSync(join(project, 'bundler.ts'), subpaths.map((path) => `import * as ${alias(path)} from '${path}';`).join('\n') + '\n' + uses);
  const settings = [
    { module: 'nodenext', moduleResolution: 'nodenext', files: ['esm.mts', 'cjs.cts'] },
    { module: 'node16', moduleResolution: 'node16', files: ['esm.mts', 'cjs.cts'] },
    { module: 'esnext', moduleResolution: 'bundler', files: ['bundler.ts'] },
  ];
  for (const { files, ...compilerOptions } of settings) {
    const config = {
      compilerOptions: { ...compilerOptions, strict: true, skipLibCheck: false, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: [] },
      files,
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(config, null, 2));
    const tsc = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, 'tsconfig.json')], { capture: true, cwd: project });
    if (tsc.status !== 0) {
      process.stdout.write(tsc.stdout);
      problem(`tsc --module ${compilerOptions.module} (${files.join(', ')}) found errors in latentspace's types`);
    } else ok(`module ${compilerOptions.module}, moduleResolution ${compilerOptions.moduleResolution}: ${files.join(' and ')} importing ${subpaths.length} entry points type-check`);
  }
}
