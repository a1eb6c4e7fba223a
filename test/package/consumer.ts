import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Fails with the build hint when dist/ lacks an entry of the exports map. */
export function assertDist(): void {
  for (const entry of ['index', 'core', 'linalg', 'wasm']) {
    for (const ext of ['js', 'cjs']) {
      if (!existsSync(join(ROOT, 'dist', `${entry}.${ext}`))) {
        throw new Error(`dist/${entry}.${ext} is missing: run npm run build first`);
      }
    }
  }
}

/**
 * A throw-away consumer project: a temporary folder whose node_modules/latentspace is a
 * symlink to this repository, so Node and bundlers resolve `latentspace/…` through the
 * real package.json exports map to dist/, as they would after `npm install latentspace`.
 */
export interface Consumer {
  dir: string;
  /** Writes `file` (relative to the consumer) and returns its absolute path. */
  write(file: string, text: string): string;
  remove(): void;
}

export function createConsumer(): Consumer {
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'latentspace'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return {
    dir,
    write(file, text) {
      const path = join(dir, file);
      writeFileSync(path, text);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
