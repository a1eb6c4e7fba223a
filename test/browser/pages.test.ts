/**
 * The example pages and the demo page, looked at in headless Chromium.
 *
 * examples/browser/serve.mjs serves the repository (dist/ included) and the 400 Olivetti faces
 * committed under examples/data/, as a user runs it; the demo page is made here by
 * `node examples/demo.mjs --quick --out <tmp>` (the page's layout from 200 MNIST digits of each
 * class and a smaller t-SNE map, about 20 s; the `mnist` package is a devDependency, nothing
 * outside the repository is read). Every page is opened at 1024 × 768 and must show, once it has drawn:
 *
 * - no blank canvas or picture (each has at least two colours), no picture that failed to load;
 * - nothing wider than the viewport (no sideways scrolling), and nothing sticking out of the
 *   page's column (a picture wider than the text it sits in is clipped or scrolls);
 * - no id used twice;
 * - no console error, uncaught exception or failed request.
 *
 * A screenshot of each goes to demo-out/screenshots/ (look at them after a change). The index
 * page must link every page of examples/browser/. Long trainings are shortened through the
 * pages' address (`vae.html?epochs=1`, see pictures.js `controlsFromUrl`).
 *
 * Without Chromium these tests are skipped with a note, unless LATENTSPACE_REQUIRE_BROWSER=1.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples', 'browser');
const SHOTS = join(ROOT, 'demo-out', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRE_BROWSER = process.env.LATENTSPACE_REQUIRE_BROWSER === '1';
const SKIP_NOTE = `no Chromium at ${CHROMIUM}: install Debian's with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`;
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];
const VIEWPORT = { width: 1024, height: 768 };

/** What examples/browser/serve.mjs exports (a JavaScript module: typed here). */
interface ExampleServer {
  origin: string;
  close(): Promise<void>;
}
type StartServer = (options: { port: number; digits?: boolean }) => Promise<ExampleServer>;

/** The pages, each with the address it is opened at (short runs) and what it must have drawn. */
const PAGES: Array<{ file: string; query?: string; canvases: number }> = [
  { file: 'index.html', canvases: 0 },
  { file: 'eigenfaces.html', canvases: 9 },
  { file: 'som.html', query: '?epochs=5&pause=0', canvases: 2 },
  { file: 'tsne.html', query: '?iterations=300', canvases: 1 },
  { file: 'vae.html', query: '?epochs=1&hidden=32', canvases: 3 },
];

/** What a page shows, measured in the page. */
interface Layout {
  viewport: number;
  scrollWidth: number;
  /** Elements whose right edge passes the viewport or the column they sit in. */
  overflowing: string[];
  duplicateIds: string[];
  /** Canvases with fewer than two colours, or no pixels. */
  blankCanvases: string[];
  brokenImages: string[];
  canvases: number;
}

/** Measures the open page (runs in the page). */
function measure(): Layout {
  const name = (el: Element): string => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/).join('.')}` : '';
    const alt = el.getAttribute('alt') ?? el.getAttribute('aria-label');
    return `<${el.tagName.toLowerCase()}${id}${cls}>${alt ? ` "${alt.slice(0, 60)}"` : ''}`;
  };
  const viewport = document.documentElement.clientWidth;
  const body = document.body.getBoundingClientRect();
  const style = getComputedStyle(document.body);
  const columnRight = body.right - parseFloat(style.paddingRight);
  const overflowing: string[] = [];
  for (const el of Array.from(document.body.querySelectorAll('img, canvas, svg, table, pre, figure, main, section, div, p, form'))) {
    if (el.closest('svg') !== null && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.right > viewport + 0.5) overflowing.push(`${name(el)}: right edge at ${r.right.toFixed(0)} px, the viewport is ${viewport} px wide`);
    else if (r.right > columnRight + 0.5) overflowing.push(`${name(el)}: right edge at ${r.right.toFixed(0)} px, the column ends at ${columnRight.toFixed(0)} px`);
  }
  const seen = new Map<string, number>();
  for (const el of Array.from(document.querySelectorAll('[id]'))) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
  const duplicateIds = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
  const blankCanvases: string[] = [];
  const canvases = Array.from(document.querySelectorAll('canvas'));
  for (const c of canvases) {
    if (c.width === 0 || c.height === 0) { blankCanvases.push(`${name(c)}: ${c.width} × ${c.height}`); continue; }
    const data = new Uint32Array(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.buffer);
    if (data.every((v) => v === data[0])) blankCanvases.push(`${name(c)}: one colour everywhere`);
  }
  const brokenImages: string[] = [];
  for (const img of Array.from(document.images)) {
    if (!img.complete || img.naturalWidth === 0) { brokenImages.push(`${name(img)}: not loaded`); continue; }
    // A picture of one colour is as empty as a blank canvas (e.g. tiles cut from past its end).
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    try {
      const data = new Uint32Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer);
      if (data.every((v) => v === data[0])) brokenImages.push(`${name(img)}: one colour everywhere`);
    } catch {
      // a picture from another origin cannot be read back: loaded is all we can say
    }
  }
  return { viewport, scrollWidth: document.documentElement.scrollWidth, overflowing, duplicateIds, blankCanvases, brokenImages, canvases: canvases.length };
}

/** Every canvas has at least two colours (runs in the page; false while one is blank). */
function allDrawn(): boolean {
  if (document.body.dataset.state === 'error') return true;
  return Array.from(document.querySelectorAll('canvas')).every((c) => {
    if (c.width === 0 || c.height === 0) return false;
    const data = new Uint32Array(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.buffer);
    return data.some((v) => v !== data[0]);
  });
}

let browser: Browser | undefined;
let server: ExampleServer | undefined;
let demoDir: string | undefined;
let demo: Promise<string> | undefined;

/** Runs the quick demo into a scratch folder; resolves with the page's path. */
function makeDemo(dir: string): Promise<string> {
  const out = join(dir, 'index.html');
  return new Promise((ok, ko) => {
    const child = spawn(process.execPath, [join(ROOT, 'examples', 'demo.mjs'), '--quick', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (b: Buffer) => { log += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { log += b.toString(); });
    child.on('error', ko);
    child.on('close', (code) => {
      if (code === 0 && existsSync(out)) ok(out);
      else ko(new Error(`node examples/demo.mjs --quick failed (exit ${code}):\n${log}`));
    });
  });
}

/** Opens a page, waits until it has drawn, measures it and saves its screenshot. */
async function look(url: string, shot: string, wait: (page: Page) => Promise<void>): Promise<{ layout: Layout; problems: string[] }> {
  if (browser === undefined) throw new Error('the browser did not start');
  // A fresh context per page: no cached VAE model, no shared storage.
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  try {
    await page.goto(url, { waitUntil: 'load' });
    await wait(page);
    if ((await page.getAttribute('body', 'data-state')) === 'error') problems.push(`the page failed: ${await page.textContent('#status')}`);
    const layout = await page.evaluate(measure);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    return { layout, problems };
  } finally {
    await context.close();
  }
}

/** The checks every page must pass, as one readable list (empty when all hold). */
function failures({ layout, problems }: { layout: Layout; problems: string[] }): string[] {
  return [
    ...problems,
    ...(layout.scrollWidth > layout.viewport ? [`the page is ${layout.scrollWidth} px wide in a ${layout.viewport} px viewport`] : []),
    ...layout.overflowing.map((o) => `too wide: ${o}`),
    ...layout.duplicateIds.map((id) => `duplicate id: ${id}`),
    ...layout.blankCanvases.map((c) => `blank canvas: ${c}`),
    ...layout.brokenImages.map((img) => `broken or blank picture: ${img}`),
  ];
}

describe('the example pages and the demo page in headless Chromium', () => {
  beforeAll(async () => {
    for (const entry of ['pca.js', 'som.js', 'tsne.js', 'vae.js', 'image.js', 'wasm.js']) {
      if (!existsSync(join(ROOT, 'dist', entry))) throw new Error(`dist/${entry} is missing: run npm run build first`);
    }
    if (!HAVE_CHROMIUM) {
      if (REQUIRE_BROWSER) throw new Error(`LATENTSPACE_REQUIRE_BROWSER=1 but ${SKIP_NOTE}`);
      console.warn(`[test/browser/pages] skipping: ${SKIP_NOTE}`);
      return;
    }
    // The demo page is made in the background while the example pages are looked at.
    demoDir = mkdtempSync(join(tmpdir(), 'latentspace-demo-'));
    demo = makeDemo(demoDir);
    demo.catch(() => undefined); // reported by its own test
    const { startServer } = (await import(pathToFileURL(join(EXAMPLES, 'serve.mjs')).href)) as { startServer: StartServer };
    server = await startServer({ port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await demo?.catch(() => undefined);
    if (demoDir !== undefined) rmSync(demoDir, { recursive: true, force: true });
  });

  it('the index page links every page of examples/browser', async (ctx) => {
    if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
    const pages = readdirSync(EXAMPLES).filter((f) => f.endsWith('.html') && f !== 'index.html');
    const index = readFileSync(join(EXAMPLES, 'index.html'), 'utf8');
    expect(pages.filter((f) => !index.includes(`href="${f}"`))).toEqual([]);
    expect(PAGES.map((p) => p.file).sort()).toEqual([...pages, 'index.html'].sort());
  });

  for (const { file, query = '', canvases } of PAGES) {
    it(`${file}: drawn, no blank canvas, nothing too wide, no duplicate id, no console error`, async (ctx) => {
      if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
      const seen = await look(`${server!.origin}/examples/browser/${file}${query}`, file.replace('.html', '.png'), async (page) => {
        if (canvases > 0) await page.waitForFunction(allDrawn, null, { timeout: 40_000, polling: 250 }).catch(() => undefined);
      });
      expect(failures(seen)).toEqual([]);
      expect(seen.layout.canvases).toBe(canvases);
    });
  }

  it('the demo page (npm run demo, --quick): nothing too wide, no duplicate id, no broken or blank picture', async (ctx) => {
    if (!HAVE_CHROMIUM) ctx.skip(SKIP_NOTE);
    const file = await demo!;
    const seen = await look(pathToFileURL(file).href, 'demo.png', async () => {});
    expect(failures(seen)).toEqual([]);
  }, 120_000);
});
