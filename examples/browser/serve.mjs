// A tiny static server for the browser examples: serves the repository root, read-only, on
// 127.0.0.1, plus the pictures the example pages need (a page opened from file:// may
// not read files beside it).
//
//   npm run build && node examples/browser/serve.mjs [--port 8080] [--digits]
//   then open http://127.0.0.1:8080/ (examples/browser/index.html, which links every page):
//   eigenfaces.html (PCA sliders), som.html (a self-organizing map unfolding), tsne.html
//   (t-SNE in a Web Worker) and vae.html (a VAE trained in a Web Worker, with latent sliders)
//
// Endpoints besides the files:
//   /data/info.json   { source, count, width, height, pixels, credit }
//   /data/pixels.u8   count · width · height bytes, one picture after another, row-major
// The pictures are the 400 Olivetti faces committed under examples/data/, or (with --digits)
// 2,000 MNIST digits from the `mnist` package (a devDependency).
//
// HTML pages are sent with `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'`:
// the bundle needs no eval, and WebAssembly may compile.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadFaces } from '../data.mjs';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const INDEX = '/examples/browser/index.html';
const PAGE = '/examples/browser/eigenfaces.html';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/** The pictures to serve: the Olivetti faces, or MNIST digits with `digits`. */
export function loadPictures({ digits = false } = {}) {
  if (!digits) {
    return {
      info: {
        source: 'olivetti', noun: 'face', count: 400, width: 64, height: 64,
        credit: 'The Olivetti faces: 40 people, 10 pictures each (AT&T Laboratories Cambridge, 1992–1994).',
      },
      pixels: loadFaces().pixels,
    };
  }
  const mnist = createRequire(import.meta.url)('mnist');
  const count = 2000, d = 28 * 28;
  const pixels = new Uint8Array(count * d);
  // 200 of each digit, read in the package's order (its set() helper shuffles).
  for (let c = 0; c < 10; c++) {
    const raw = mnist[c].raw;
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < d; j++) pixels[(c * 200 + i) * d + j] = Math.round(raw[i * d + j] * 255);
    }
  }
  return {
    info: {
      source: 'mnist', noun: 'digit', count, width: 28, height: 28,
      credit: '200 of each MNIST digit, from the mnist package.',
    },
    pixels,
  };
}

/**
 * Starts the server. `port` 0 picks a free one; `digits` serves MNIST digits instead of the
 * faces. `page` is the eigenfaces page, `index` the page that links every page.
 * @returns {Promise<{ origin: string, page: string, index: string, source: string, close: () => Promise<void> }>}
 */
export async function startServer({ port = 8080, digits = false } = {}) {
  const pictures = loadPictures({ digits });
  const info = JSON.stringify({ ...pictures.info, pixels: '/data/pixels.u8' });
  const server = createServer(async (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8', extra = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (path === '/') return send(302, '', 'text/plain', { Location: INDEX });
    if (path === '/data/info.json') return send(200, info, TYPES['.json']);
    if (path === '/data/pixels.u8') return send(200, Buffer.from(pictures.pixels), 'application/octet-stream');
    // No dot-files (.git), no node_modules, nothing outside the repository.
    const file = resolve(join(ROOT, path));
    if (!file.startsWith(ROOT + sep) || path.split('/').some((s) => s.startsWith('.') || s === 'node_modules')) return send(404, 'not found');
    try {
      if (!(await stat(file)).isFile()) return send(404, 'not found');
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const csp = type.startsWith('text/html') ? { 'Content-Security-Policy': "script-src 'self' 'wasm-unsafe-eval'" } : {};
      send(200, await readFile(file), type, csp);
    } catch {
      send(404, 'not found');
    }
  });
  await new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(port, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    page: `${origin}${PAGE}`,
    index: `${origin}${INDEX}`,
    source: pictures.info.source,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8080);
  if (!existsSync(join(ROOT, 'dist', 'pca.js'))) {
    console.error('dist/ is missing: run `npm run build` first.');
    process.exit(1);
  }
  const s = await startServer({ port, digits: process.argv.includes('--digits') });
  console.log(`serving ${ROOT} on ${s.origin} (pictures: ${s.source}); open ${s.origin}/  (Ctrl-C to stop)`);
}
