import { describe, fail } from './errors.js';

type TypedArray =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array
  | Int8Array | Uint8Array | Uint8ClampedArray;

const TYPED: Record<string, new (buffer: ArrayBuffer) => TypedArray> = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
};

const TAG = '$typed';

/**
 * Serialises a model (any plain object of numbers, strings, arrays and typed arrays) to a
 * JSON string. Typed arrays are stored as their little-endian bytes in base64, tagged with
 * their type, so {@link fromJSON} restores them bit for bit: `-0`, subnormals, NaN
 * payloads, and `Float32Array` versus `Float64Array` all survive.
 *
 * @example
 * ```ts
 * const json = toJSON({ kind: 'demo', w: new Float32Array([-0, 1e-40]) });
 * Object.is((fromJSON(json) as { w: Float32Array }).w[0], -0); // true
 * ```
 */
export function toJSON(model: unknown): string {
  return JSON.stringify(model, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      if (!(name in TYPED)) fail('INVALID_INPUT', `toJSON: cannot serialise a ${name}`);
      return { [TAG]: name, base64: bytesToBase64(littleEndianBytes(value as TypedArray)) };
    }
    return value;
  });
}

/**
 * Parses a string made by {@link toJSON}, restoring typed arrays exactly. Modules' `load`
 * functions call it and then check the model's `kind`.
 *
 * @example
 * ```ts
 * fromJSON(toJSON({ a: new Int32Array([7]) })); // { a: Int32Array [7] }
 * ```
 */
export function fromJSON(json: string): unknown {
  if (typeof json !== 'string') fail('INVALID_INPUT', `json: received ${describe(json)}, expected a string made by toJSON`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json, (_key, value: unknown) => {
      if (value !== null && typeof value === 'object' && TAG in value) {
        const { [TAG]: name, base64 } = value as { [TAG]: string; base64: string };
        const Ctor = TYPED[name];
        if (Ctor === undefined || typeof base64 !== 'string') fail('INVALID_MODEL', `json: unknown typed array tag ${describe(name)}`);
        return fromLittleEndian(Ctor, base64ToBytes(base64));
      }
      return value;
    });
  } catch (e) {
    if (e instanceof SyntaxError) fail('INVALID_MODEL', `json: not valid JSON (${e.message})`);
    throw e;
  }
  return parsed;
}

/**
 * Checks that a parsed model is an object with the expected `kind` tag; modules' `load`
 * functions build on it.
 */
export function checkKind<T extends { kind: string }>(value: unknown, kind: T['kind'], name = 'model'): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('INVALID_MODEL', `${name}: received ${describe(value)}, expected a model of kind '${kind}'`);
  }
  const actual = (value as { kind?: unknown }).kind;
  if (actual !== kind) {
    fail('INVALID_MODEL', `${name}: received a model of kind ${describe(actual)}, expected kind '${kind}'`);
  }
  return value as T;
}

/**
 * The body of every module's `load`: parses a string made by {@link toJSON} (an object is
 * taken as already parsed) and checks its `kind`.
 *
 * @example
 * ```ts
 * loadModel<{ kind: 'pca' }>(toJSON({ kind: 'pca' }), 'pca').kind; // 'pca'
 * ```
 */
export function loadModel<T extends { kind: string }>(json: string | object, kind: T['kind']): T {
  return checkKind<T>(typeof json === 'string' ? fromJSON(json) : json, kind);
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(a: TypedArray): Uint8Array {
  const bytes = new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  if (!littleEndianHost) swapBytes(bytes, a.BYTES_PER_ELEMENT);
  return bytes;
}

function fromLittleEndian(Ctor: new (buffer: ArrayBuffer) => TypedArray, bytes: Uint8Array): TypedArray {
  const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes.length % size !== 0) fail('INVALID_MODEL', `json: a typed array's byte length ${bytes.length} is not a multiple of ${size}`);
  if (!littleEndianHost) swapBytes(bytes, size);
  return new Ctor(bytes.buffer as ArrayBuffer);
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 without `Buffer` or `btoa`, so it behaves the same in every runtime. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1] ?? 0, c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    chunk += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
    if (chunk.length >= 8192) { parts.push(chunk); chunk = ''; }
  }
  parts.push(chunk);
  return parts.join('');
}

const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Inverse of {@link bytesToBase64}; rejects characters outside the alphabet. */
export function base64ToBytes(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text[end - 1] === '=') end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? DECODE[code]! : -1;
    if (v < 0) fail('INVALID_MODEL', `json: invalid base64 character at position ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}
