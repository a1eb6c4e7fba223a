import { assertNever } from '../core/errors.js';
import { checkChoice } from '../core/options.js';

/** Names of the built-in colour maps. */
export type ColormapName = 'gray' | 'viridis';

/**
 * Every valid {@link ColormapName}, in the order error messages list them.
 *
 * @example
 * ```ts
 * import { COLORMAPS } from 'latentspace/image';
 * COLORMAPS; // ['gray', 'viridis']
 * ```
 */
export const COLORMAPS: readonly ColormapName[] = ['gray', 'viridis'];

/**
 * viridis (van der Walt and Smith, matplotlib; CC0) at 16 evenly spaced points: entries
 * 0, 17, 34, …, 255 of matplotlib's 256-entry `_viridis_data`, rounded to bytes. The 240
 * entries between them are interpolated linearly, which stays within a unit or two of the
 * full table because viridis is smooth; the 16 anchors themselves are exact.
 */
const VIRIDIS_ANCHORS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 26, 108], [71, 47, 125], [65, 68, 135], [57, 86, 140], [49, 104, 142],
  [42, 120, 142], [35, 136, 142], [31, 152, 139], [34, 168, 132], [53, 183, 121],
  [84, 197, 104], [122, 209, 81], [165, 219, 54], [210, 226, 27], [253, 231, 37],
];

// Tables are built on first use, not at import time (the package is side-effect free).
const cache = new Map<ColormapName, Uint8ClampedArray>();

/**
 * The 256-entry RGBA table of a colour map, shared and read-only by convention (internal;
 * {@link colormap} hands out copies).
 */
export function colormapTable(name: ColormapName): Uint8ClampedArray {
  let table = cache.get(name);
  if (table === undefined) {
    table = buildTable(name);
    cache.set(name, table);
  }
  return table;
}

function buildTable(name: ColormapName): Uint8ClampedArray {
  const table = new Uint8ClampedArray(256 * 4);
  switch (name) {
    case 'gray':
      for (let i = 0; i < 256; i++) table.set([i, i, i, 255], 4 * i);
      return table;
    case 'viridis': {
      const segments = VIRIDIS_ANCHORS.length - 1; // 15 segments of 17 entries each
      const span = 255 / segments;
      for (let i = 0; i < 256; i++) {
        const s = Math.min(segments - 1, Math.floor(i / span));
        const f = (i - s * span) / span;
        const a = VIRIDIS_ANCHORS[s]!;
        const b = VIRIDIS_ANCHORS[s + 1]!;
        // Uint8ClampedArray rounds half to even on assignment; anchors land exactly (f = 0 or 1).
        table[4 * i] = a[0] + f * (b[0] - a[0]);
        table[4 * i + 1] = a[1] + f * (b[1] - a[1]);
        table[4 * i + 2] = a[2] + f * (b[2] - a[2]);
        table[4 * i + 3] = 255;
      }
      return table;
    }
    default:
      return assertNever(name, 'colormap');
  }
}

/**
 * The 256 colours of a built-in colour map as RGBA bytes: entry `i` (for a value
 * `t = i / 255` in [0, 1]) is at `4 * i … 4 * i + 3`. Handy for drawing a legend.
 *
 * @param name - `'gray'` (black to white) or `'viridis'` (dark purple to yellow)
 * @returns a new `Uint8ClampedArray` of length 1024
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for an unknown name (the message lists the valid ones)
 *
 * @example
 * ```ts
 * import { colormap } from 'latentspace/image';
 * Array.from(colormap('viridis').subarray(0, 4)); // [68, 1, 84, 255]
 * ```
 */
export function colormap(name: ColormapName): Uint8ClampedArray {
  return colormapTable(checkChoice(name, 'colormap', COLORMAPS)).slice();
}
