// What several sections of the demo page draw the same way:
// - captioned tiles: a picture made by image.grid cut back into its tiles, each shown with a
//   caption under it (labels that cannot drift away from their pictures, as a table of the
//   same widths under one image would);
// - a colour scale for anything drawn through a colormap (U-matrices), as HTML;
// - a legend column for PNG maps (a disc and a number per class), drawn with a tiny bitmap
//   font so that a PNG in docs/img/ carries its own legend.
//
// Used by the modules of ./ (Node only: PNG encoding through ../png.mjs).
import { colormap } from '../../dist/image.js';
import { encodePng } from '../png.mjs';

/** A `data:image/png;base64,…` URL for an RGBA picture or for PNG bytes. */
export function pngUrl(imgOrBytes) {
  const bytes = Buffer.isBuffer(imgOrBytes) ? imgOrBytes : encodePng(imgOrBytes);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

/** The w × h rectangle of `img` whose top-left corner is (x, y), as a new RGBA picture. */
export function crop(img, x, y, w, h) {
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let r = 0; r < h; r++) rgba.set(img.rgba.subarray(((y + r) * img.width + x) * 4, ((y + r) * img.width + x + w) * 4), r * w * 4);
  return { width: w, height: h, rgba };
}

/**
 * A picture of image.grid as one `<figure>` per tile, laid out on a CSS grid of `columns`,
 * each tile with its caption under it (HTML allowed). `tileWidth`/`tileHeight` are the
 * tile's pixels (width · scale), `padding` the grid's; `captions[i]` goes under tile i.
 */
export function captionedTiles(img, { columns, tileWidth, tileHeight, padding }, captions, alt) {
  const figures = captions.map((caption, i) => {
    const x = padding + (i % columns) * (tileWidth + padding);
    const y = padding + Math.floor(i / columns) * (tileHeight + padding);
    const label = String(caption).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return `<figure class="tile"><img alt="${alt}: ${label}" src="${pngUrl(crop(img, x, y, tileWidth, tileHeight))}"><figcaption>${caption}</figcaption></figure>`;
  });
  return `<div class="tiles" style="grid-template-columns: repeat(${columns}, ${Math.max(tileWidth + 8, 92)}px)">${figures.join('')}</div>`;
}

/** A short, readable number for a scale's ends (3 significant digits). */
function short(v) {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}

/**
 * A horizontal colour scale as HTML: the colormap from `lo` to `hi`, its ends labelled, and
 * what the colours measure. `name` is an image.colormap name ('viridis', 'gray').
 */
export function colourScale(lo, hi, label, name = 'viridis') {
  const table = colormap(name);
  const stops = Array.from({ length: 11 }, (_, k) => {
    const i = Math.round((k / 10) * 255) * 4;
    return `rgb(${table[i]}, ${table[i + 1]}, ${table[i + 2]})`;
  });
  return `<div class="scale"><span>${short(lo)}</span><span class="bar" style="background: linear-gradient(to right, ${stops.join(', ')})"></span>` +
    `<span>${short(hi)}</span><span class="what">${label}</span></div>`;
}

/** The smallest and largest finite value of a matrix or array (the range som.render maps onto its colormap). */
export function extent(values) {
  const data = values.data ?? values;
  let lo = Infinity, hi = -Infinity;
  for (const v of data) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return [lo, hi];
}

// A 5 × 7 bitmap font: digits, '.', '-' and a space, one row of 5 bits per line.
const GLYPHS = {
  0: ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  1: ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  2: ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  3: ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  4: ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  5: ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  6: ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  7: ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  8: ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  9: ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '.': ['00000', '00000', '00000', '00000', '00000', '01100', '01100'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
};

/** Writes `text` into `img` with its top-left corner at (x, y), each font pixel `scale` × `scale`. */
export function drawText(img, text, x, y, { scale = 2, colour = [34, 34, 34] } = {}) {
  [...text].forEach((ch, k) => {
    const glyph = GLYPHS[ch];
    if (!glyph) throw new Error(`drawText: no glyph for ${JSON.stringify(ch)}`);
    glyph.forEach((bits, gy) => {
      for (let gx = 0; gx < 5; gx++) {
        if (bits[gx] !== '1') continue;
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) {
            const px = x + (6 * k + gx) * scale + sx, py = y + gy * scale + sy;
            if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
            img.rgba.set(colour, (py * img.width + px) * 4);
          }
        }
      }
    });
  });
}

/**
 * `img` with a legend column on its right: for each entry a disc of its colour (RGB bytes)
 * and its text (digits only, see GLYPHS), on white.
 */
export function withLegend(img, entries) {
  const column = 46, rowHeight = 22, top = 10;
  const out = { width: img.width + column, height: Math.max(img.height, top + rowHeight * entries.length), rgba: null };
  out.rgba = new Uint8ClampedArray(out.width * out.height * 4).fill(255);
  for (let y = 0; y < img.height; y++) out.rgba.set(img.rgba.subarray(y * img.width * 4, (y + 1) * img.width * 4), y * out.width * 4);
  entries.forEach(({ colour, text }, k) => {
    const cx = img.width + 12, cy = top + rowHeight * k + 7, r = 6;
    for (let y = cy - r - 1; y <= cy + r + 1; y++) {
      for (let x = cx - r - 1; x <= cx + r + 1; x++) {
        const a = Math.min(1, Math.max(0, r + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)));
        const p = (y * out.width + x) * 4;
        for (let c = 0; c < 3; c++) out.rgba[p + c] = Math.round(out.rgba[p + c] * (1 - a) + colour[c] * a);
      }
    }
    drawText(out, text, cx + 12, cy - 7);
  });
  return out;
}
