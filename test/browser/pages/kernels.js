// Entry module of both test pages (no inline script, so a strict Content-Security-Policy
// does not block the test itself). Loads the built ESM bundle from /dist/, runs the shared
// suite and leaves the outcome on `window.__latentspace` for the Playwright side to read.
import { runSuite } from './suite.js';

async function main() {
  const [linalg, wasm, core] = await Promise.all([
    import('/dist/linalg.js'),
    import('/dist/wasm.js'),
    import('/dist/core.js'),
  ]);
  return runSuite({ linalg, wasm, core });
}

window.__latentspace = main().then(
  (value) => ({ ok: true, value }),
  (e) => ({ ok: false, error: String((e && e.stack) || e) }),
);
document.title += ' (running)';
