import { describe, expect, it } from 'vitest';
import { checkOptions, optionNames } from '../../src/core/options.js';
import { codeOf } from '../helpers/errors.js';

interface Example { perplexity?: number; seed?: number; nIter?: number }
const names = optionNames<Example>()('perplexity', 'seed', 'nIter');

describe('checkOptions', () => {
  it('accepts the known names, undefined, and any object when no names are given', () => {
    expect(checkOptions({ perplexity: 5, seed: 1 }, names)).toEqual({ perplexity: 5, seed: 1 });
    expect(checkOptions(undefined, names)).toEqual({});
    expect(checkOptions({ anything: 1 })).toEqual({ anything: 1 });
  });

  it('rejects an unknown name, suggesting the nearest known one', () => {
    expect(codeOf(() => checkOptions({ perplexty: 5 } as Example, names))).toBe('INVALID_OPTION');
    expect(() => checkOptions({ perplexty: 5 } as Example, names)).toThrow(/unknown option 'perplexty' \(did you mean 'perplexity'\?\)/);
    expect(() => checkOptions({ niter: 5 } as Example, names)).toThrow(/did you mean 'nIter'/);
    expect(() => checkOptions({ zzzzzz: 5 } as Example, names)).toThrow(/unknown option 'zzzzzz', expected only 'perplexity', 'seed', 'nIter'/);
  });

  it('rejects what is not an options object', () => {
    for (const bad of [null, 3, 'x', [1]]) expect(codeOf(() => checkOptions(bad as never, names))).toBe('INVALID_OPTION');
  });

  it('optionNames lists must be complete and exact (checked by the compiler)', () => {
    // @ts-expect-error: 'nIter' is missing
    optionNames<Example>()('perplexity', 'seed');
    // @ts-expect-error: 'theta' is not an option of Example
    optionNames<Example>()('perplexity', 'seed', 'nIter', 'theta');
    expect(names).toEqual(['perplexity', 'seed', 'nIter']);
  });
});

describe('every public options object rejects a misspelt option', () => {
  it('k-means, PCA, t-SNE, SOM, K-SVD, OMP, interp and linalg', async () => {
    const kmeans = await import('../../src/kmeans/index.js');
    const pca = await import('../../src/pca/index.js');
    const tsne = await import('../../src/tsne/index.js');
    const som = await import('../../src/som/index.js');
    const ksvd = await import('../../src/ksvd/index.js');
    const omp = await import('../../src/omp/index.js');
    const interp = await import('../../src/interp/index.js');
    const linalg = await import('../../src/linalg/index.js');
    const X = Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(i), i / 12]);
    const typo = (f: () => unknown, suggestion: string): void => {
      expect(codeOf(f)).toBe('INVALID_OPTION');
      expect(f).toThrow(new RegExp(`did you mean '${suggestion}'`));
    };
    typo(() => kmeans.fit(X, { k: 2, sed: 1 } as never), 'seed');
    typo(() => pca.fit(X, { ncomponents: 2 } as never), 'nComponents');
    typo(() => tsne.fit(X, { perplexty: 2 } as never), 'perplexity');
    typo(() => som.fit(X, { width: 2, height: 2, epoch: 3 } as never), 'epochs');
    typo(() => ksvd.fit(X, { nAtoms: 4, nNonzero: 1, maxIters: 3 } as never), 'maxIter');
    typo(() => omp.encode([[1, 0, 0]], X, { nNonZero: 1 } as never), 'nNonzero');
    typo(() => interp.path([0, 1], [1, 0], { step: 3 } as never), 'steps');
    typo(() => linalg.eigh([[1, 0], [0, 1]], { chek: false } as never), 'check');
  });
});
