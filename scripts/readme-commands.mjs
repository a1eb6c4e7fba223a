#!/usr/bin/env node
// Prints, one per line, the commands of the README's ```sh block that runs `npm ci`
// (comments cut), so that CI runs them exactly as a new user would copy them (`.ci/run`).
// Fails when the block is missing or when it no longer holds the two commands CI promises to run
// (`npm ci && npm test`, `npm ci && npm run demo`): a README edit must not silently
// take a command out of CI.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].find((m) => /^npm ci\b/m.test(m[1]));
if (block === undefined) {
  console.error('README.md has no ```sh block with the npm ci commands');
  process.exit(1);
}
const commands = block[1]
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
for (const required of ['npm ci && npm test', 'npm ci && npm run demo']) {
  if (!commands.includes(required)) {
    console.error(`README.md's npm ci block no longer has \`${required}\` (found: ${JSON.stringify(commands)})`);
    process.exit(1);
  }
}
console.log(commands.join('\n'));
