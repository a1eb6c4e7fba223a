import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
};

/** What the static server serves: URL prefixes mapped to folders, and extra headers per path. */
export interface StaticServerOptions {
  /** e.g. `{ '/dist/': '/repo/dist', '/pages/': '/repo/test/browser/pages' }` */
  mounts: Record<string, string>;
  /** Extra response headers for an exact URL path (e.g. a Content-Security-Policy). */
  headers?: Record<string, Record<string, string>>;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every request as `<status> <path>`, for diagnostics. */
  log: string[];
  close(): Promise<void>;
}

/**
 * A minimal static file server on 127.0.0.1 and a free port (node:http, no dependency).
 * GET and HEAD only; paths outside the mounted folders, `..` escapes included, are 404.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const log: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
        log.push(`${status} ${req.method} ${path}`);
        res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
      const file = locate(options.mounts, path);
      if (file === null) return send(404, 'not found');
      try {
        if (!(await stat(file)).isFile()) return send(404, 'not found');
        const body = await readFile(file);
        send(200, body, {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          ...(options.headers?.[path] ?? {}),
        });
      } catch {
        send(404, 'not found');
      }
    })();
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

function locate(mounts: Record<string, string>, path: string): string | null {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!path.startsWith(prefix)) continue;
    const base = resolve(dir);
    const file = resolve(join(base, path.slice(prefix.length)));
    return file.startsWith(base + sep) ? file : null;
  }
  return null;
}
