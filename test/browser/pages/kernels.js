// Entry module of both test pages (no inline script, so a strict Content-Security-Policy
// does not block the test itself). Loads the built ESM bundle from /dist/, runs the shared
// kernel suite and the module suite, and leaves the outcome on `window.__latentspace` for
// the Playwright side to read.
import { runSuite } from './suite.js';
import { moduleNames, runModules } from './modules.js';

async function main() {
  const [linalg, wasm, core, ...loaded] = await Promise.all([
    import('/dist/linalg.js'),
    import('/dist/wasm.js'),
    import('/dist/core.js'),
    ...moduleNames.map((name) => import(`/dist/${name}.js`)),
  ]);
  const suite = await runSuite({ linalg, wasm, core });
  const mods = Object.fromEntries(moduleNames.map((name, i) => [name, loaded[i]]));
  return { ...suite, modules: await runModules(mods, wasm) };
}

window.__latentspace = main().then(
  (value) => ({ ok: true, value }),
  (e) => ({ ok: false, error: String((e && e.stack) || e) }),
);
document.title += ' (running)';
