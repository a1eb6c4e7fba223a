// One module list (#20): scripts/modules.mjs is what tsup builds, sync-exports publishes and
// the root entry re-exports; the browser suite must cover every capability module in it, so
// a new module cannot ship without running in Chromium.
import { describe, expect, it } from 'vitest';
import { moduleOrder } from '../../scripts/modules.mjs';
import { moduleNames } from '../browser/pages/modules.js';

/** Shared layers the browser suite tests through their own pages (kernels.html) or through every case. */
const SHARED = ['core', 'linalg', 'wasm', 'image'];

describe('the module list', () => {
  it('every capability module of scripts/modules.mjs has a browser case, and no case names a module that is not published', () => {
    const capabilities = moduleOrder.filter((m: string) => !SHARED.includes(m));
    expect([...moduleNames].sort()).toEqual([...capabilities].sort());
  });
});
