import { defineConfig } from 'vitest/config';

// .ci/run runs the README's `npm test` exactly as written and still wants vitest's counts:
// LATENTSPACE_VITEST_REPORT names a file for a JSON report beside the default output.
const report = process.env.LATENTSPACE_VITEST_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    ...(report ? { reporters: ['default', 'json'], outputFile: { json: report } } : {}),
  },
});
