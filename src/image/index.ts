/**
 * `latentspace/image`: turn the rows of a matrix into pictures. {@link grid} tiles them
 * into one RGBA image (eigenfaces, dictionary atoms, cluster centres, a SOM's prototypes)
 * ready for a canvas `ImageData` or a PNG encoder. Runs anywhere: no DOM or Node API is
 * used.
 *
 * @example
 * ```ts
 * import { grid } from 'latentspace/image';
 * const img = grid(eigenvectors, { width: 28, height: 28, columns: 8, colormap: 'viridis' });
 * ctx.putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
 * ```
 *
 * @packageDocumentation
 */
export { grid } from './grid.js';
export type { GridOptions, RgbaImage, Normalize, Color } from './grid.js';
export { colormap, COLORMAPS } from './colormap.js';
export type { ColormapName } from './colormap.js';
