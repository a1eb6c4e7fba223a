// A minimal PNG encoder for the examples: 8-bit RGBA, no interlacing, filter "None" on
// every scanline, one IDAT chunk compressed with node:zlib. Enough to turn the output of
// `image.grid` ({ width, height, rgba }) into a file or a data: URL. Node only; in a
// browser, put the same bytes into an ImageData and draw it on a canvas instead.
import { deflateSync } from 'node:zlib';

/** CRC-32 (ISO 3309, polynomial 0xEDB88320), the checksum PNG puts after every chunk. */
let crcTable;
function crc32(bytes) {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** length (4 bytes) · type (4) · data · CRC of type and data (4). */
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes an RGBA picture as PNG.
 * @param {{ width: number, height: number, rgba: Uint8Array | Uint8ClampedArray }} img
 * @returns {Buffer} the PNG file's bytes
 */
export function encodePng({ width, height, rgba }) {
  if (rgba.length !== width * height * 4) {
    throw new Error(`encodePng: rgba has ${rgba.length} bytes, expected width × height × 4 = ${width * height * 4}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  // Each scanline is preceded by its filter type byte (0, "None").
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The picture as a `data:image/png;base64,…` URL, for an <img> in a self-contained page. */
export function pngDataUrl(img) {
  return `data:image/png;base64,${encodePng(img).toString('base64')}`;
}
