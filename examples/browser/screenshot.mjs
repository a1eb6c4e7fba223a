// Opens the eigenfaces page in headless Chromium, moves two sliders, checks that the face
// on the canvas changed, and saves a screenshot: a smoke test of the page, and the way
// docs/img/pca-sliders.png is made.
//
//   npm run build && node examples/browser/screenshot.mjs [out.png] [--digits]   (default demo-out/eigenfaces.png)
//
// Needs playwright-core (a devDependency) and Chromium (/usr/bin/chromium, or CHROMIUM_PATH).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const args = process.argv.slice(2);
const digits = args.includes('--digits');
const out = resolve(args.find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../../demo-out/eigenfaces.png', import.meta.url)));
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`no Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  process.exit(1);
}
const server = await startServer({ port: 0, digits });
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(server.page);
  await page.waitForSelector('body[data-state]', { timeout: 60_000 });
  if ((await page.getAttribute('body', 'data-state')) !== 'ready') throw new Error(await page.textContent('#status'));
  const pixels = () => page.evaluate(() => {
    const c = document.getElementById('face');
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 0));
  });
  // Start from the mean, then push the first two components.
  await page.click('#mean');
  const before = await pixels();
  const sliders = page.locator('#sliders input[type=range]');
  for (const [i, v] of [[0, '2.2'], [1, '-1.8'], [3, '1.5']]) await sliders.nth(i).fill(v);
  const after = await pixels();
  let changed = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed++;
  const status = await page.textContent('#status');
  console.log(status);
  console.log(`moving three sliders changed ${changed} of ${before.length} pixels of the picture`);
  if (changed < before.length / 10) problems.push('the sliders hardly changed the picture');
  mkdirSync(dirname(out), { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
