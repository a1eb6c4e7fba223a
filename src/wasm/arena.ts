import type { Region } from '../linalg/kernels/types.js';
import { jsRegion } from '../linalg/kernels/resident.js';

// Every buffer starts on a 64-byte boundary: a cache line, and a multiple of the 16 bytes
// v128 loads want.
export const ALIGN = 64;
const PAGE = 65536;

/** The typed arrays a kernel call moves in and out of linear memory. */
export type Numeric = Float64Array | Float32Array | Int32Array | Int16Array;

const up = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;

/**
 * The module's linear memory, in two parts:
 *
 * - **Regions** (from `heapBase`): operands that stay in memory across calls, so an
 *   iterative algorithm copies its data in once instead of once per call (k-means' X for a
 *   whole fit). Allocated first fit from a list of released blocks, neighbours merged, so
 *   a fit that releases its regions leaves memory as it found it and the next fit of that
 *   size reuses the same addresses. A region is addressed by its byte offset, never by a
 *   stored view: growing the memory detaches every view of the old buffer, so
 *   {@link Region.view} re-derives its view whenever the buffer has changed.
 * - **Scratch** (above the highest region): a bump arena reset at the start of every call,
 *   for the operands that are not resident and the kernels' workspaces. It grows only when
 *   one call needs more than any call before, and is reused otherwise.
 *
 * Memory never shrinks (WebAssembly cannot give pages back); `reset()` in ./index.ts drops
 * the whole instance instead. Only this arena grows the memory, so its buffer and size are
 * cached rather than read through the (comparatively slow) memory.buffer getter per call.
 */
export class Arena {
  buffer: ArrayBuffer;
  f64: Float64Array;
  f32: Float32Array;
  i32: Int32Array;
  i16: Int16Array;
  private capacity: number;
  // End of the highest live region: scratch starts here.
  private regionTop: number;
  private top: number;
  // Released blocks below regionTop, by address: [at, bytes] pairs.
  private readonly holes: number[] = [];
  // Live regions: address → bytes.
  private readonly live = new Map<number, number>();
  // A region dropped without release() (a k-means generator abandoned mid-run) is
  // released when its handle is collected.
  private readonly finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number>((at) => this.free(at)) : undefined;

  constructor(private readonly memory: WebAssembly.Memory, private readonly base: number) {
    this.regionTop = base;
    this.top = base;
    this.buffer = memory.buffer;
    this.capacity = this.buffer.byteLength;
    this.f64 = new Float64Array(this.buffer);
    this.f32 = new Float32Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.i16 = new Int16Array(this.buffer);
  }

  /** Size of linear memory in bytes. */
  bytes(): number {
    return this.capacity;
  }

  /** Whether `a` is a view of linear memory (a region's view: the kernels read it in place). */
  holds(a: Numeric): boolean {
    return a.buffer === this.buffer;
  }

  /** Starts the layout of one call. */
  begin(): void {
    this.top = this.regionTop;
  }

  /** Reserves `bytes` of scratch and returns the (64-byte aligned) byte address. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = up(at + bytes);
    return at;
  }

  /**
   * Makes memory large enough for everything reserved since begin(). Returns false when
   * the module cannot grow that far (wasm32 memory ends at 4 GiB).
   */
  commit(): boolean {
    return this.ensure(this.top);
  }

  /**
   * A region of `length` elements of the type of `like` (its contents unspecified), or,
   * when memory cannot grow that far, a plain array with the same interface: callers
   * work either way, only the copies per call come back.
   */
  region<A extends Numeric>(like: A, length: number): Region<A> {
    const Ctor = like.constructor as new (buffer: ArrayBuffer, at: number, length: number) => A;
    const bytes = up(length * like.BYTES_PER_ELEMENT);
    const at = bytes === 0 ? -1 : this.reserve(bytes);
    if (at < 0) return jsRegion(new (like.constructor as new (n: number) => A)(length));
    const region = new WasmRegion(this, Ctor, at, length);
    this.finalizer?.register(region, at, region);
    return region;
  }

  /** Returns a region's block (see {@link WasmRegion.release}). */
  release(region: WasmRegion<Numeric>, at: number): void {
    this.finalizer?.unregister(region);
    this.free(at);
  }

  /** First fit among the holes, else above the highest region; -1 if memory cannot grow. */
  private reserve(bytes: number): number {
    const { holes } = this;
    for (let h = 0; h < holes.length; h += 2) {
      const at = holes[h]!, size = holes[h + 1]!;
      if (size < bytes) continue;
      if (size === bytes) holes.splice(h, 2);
      else {
        holes[h] = at + bytes;
        holes[h + 1] = size - bytes;
      }
      this.live.set(at, bytes);
      return at;
    }
    const at = this.regionTop;
    if (!this.ensure(at + bytes)) return -1;
    this.regionTop = at + bytes;
    this.live.set(at, bytes);
    return at;
  }

  private free(at: number): void {
    const bytes = this.live.get(at);
    if (bytes === undefined) return;
    this.live.delete(at);
    const { holes } = this;
    let h = 0;
    while (h < holes.length && holes[h]! < at) h += 2;
    holes.splice(h, 0, at, bytes);
    // Merge with the following hole, then with the preceding one.
    if (h + 2 < holes.length && holes[h]! + holes[h + 1]! === holes[h + 2]) {
      holes[h + 1] = holes[h + 1]! + holes[h + 3]!;
      holes.splice(h + 2, 2);
    }
    if (h > 0 && holes[h - 2]! + holes[h - 1]! === holes[h]) {
      holes[h - 1] = holes[h - 1]! + holes[h + 1]!;
      holes.splice(h, 2);
      h -= 2;
    }
    // A hole that reaches the top of the regions gives its bytes back to the scratch.
    if (holes[h]! + holes[h + 1]! === this.regionTop) {
      this.regionTop = holes[h]!;
      holes.splice(h, 2);
    }
  }

  /** Grows memory to at least `end` bytes; false when it cannot. */
  private ensure(end: number): boolean {
    if (end <= this.capacity) return true;
    try {
      this.memory.grow(Math.ceil((end - this.capacity) / PAGE));
    } catch {
      return false;
    }
    // Growing detached the old buffer and every view of it.
    const buffer = this.memory.buffer;
    this.buffer = buffer;
    this.capacity = buffer.byteLength;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.i16 = new Int16Array(buffer);
    return true;
  }
}

/** A region of linear memory: an address and a length, its view derived on demand. */
class WasmRegion<A extends Numeric> implements Region<A> {
  private cached: A | undefined;
  private released = false;

  constructor(
    private readonly arena: Arena,
    private readonly Ctor: new (buffer: ArrayBuffer, at: number, length: number) => A,
    private readonly at: number,
    readonly length: number,
  ) {}

  view(): A {
    if (this.released) throw new Error('latentspace internal error: a WebAssembly memory region was used after release()');
    const buffer = this.arena.buffer;
    if (this.cached?.buffer !== buffer) this.cached = new this.Ctor(buffer, this.at, this.length);
    return this.cached;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.cached = undefined;
    this.arena.release(this as WasmRegion<Numeric>, this.at);
  }
}
