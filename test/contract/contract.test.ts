// The conformance suite (issue #20): every descriptor through every check that applies to
// it. A known drift runs as `it.fails` (it must still fail: fixing it turns the case red
// until its entry in `fails` is removed) and names its follow-up. CONTRACT_STRICT=1 runs the
// known drifts as plain tests, to see how each fails today.
import { describe, it } from 'vitest';
import { CHECKS, type CheckId, type Descriptor } from './checks.js';
import { descriptors } from './descriptors.js';

describe.each(descriptors.map((d) => [d.name, d] as const))('%s', (_name, d: Descriptor) => {
  for (const [id, check] of Object.entries(CHECKS) as [CheckId, (typeof CHECKS)[CheckId]][]) {
    if (!check.applies(d)) continue;
    const skip = d.skips?.[id], known = process.env.CONTRACT_STRICT ? undefined : d.fails?.[id];
    if (skip !== undefined) it.skip(`${check.title} — skipped: ${skip}`, () => {});
    else if (known !== undefined) it.fails(`${check.title} — known drift: ${known}`, () => check.run(d));
    else it(check.title, () => check.run(d));
  }
});
