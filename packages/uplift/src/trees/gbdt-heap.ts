/**
 * One boosted fit's memory: a shared WebAssembly memory holding everything the kernel (gbdt-kernel.wat) reads
 * and writes — the bin codes (copied in), the row buffer with each row's gradient and hessian beside it in the
 * same order, their partition scratch, a split's 256-byte goes-left table, and the histogram arena — with
 * typed-array views of each for the JavaScript side. Sized once per fit, so the views stay valid; worker threads receive the memory and
 * instantiate the kernel on it (gbdt-histogram.ts).
 */
import { WASM_BASE64 } from './gbdt-kernel.wasm.ts';

/** The kernel's exports; every pointer is a byte address in the heap. */
export interface Kernel {
  hist5(
    rows: number,
    m: number,
    gh: number,
    codes: number,
    stride: number,
    o0: number,
    o1: number,
    o2: number,
    o3: number,
    o4: number,
  ): void;
  hist1(rows: number, m: number, gh: number, codes: number, o: number): void;
  partition(rows: number, gh: number, n: number, col: number, table: number, srows: number, sgh: number): number;
  subtract(parent: number, child: number, n: number): void;
}

let compiled: WebAssembly.Module | null = null;

/** The kernel instantiated on `memory` (the module is compiled once per thread). */
export function kernelOn(memory: WebAssembly.Memory): Kernel {
  compiled ??= new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Kernel;
}

/** Byte addresses of the heap's regions. */
export interface HeapLayout {
  codes: number;
  rows: number;
  gh: number;
  scratchRows: number;
  scratchGh: number;
  table: number;
  arena: number;
}

export interface FitHeap {
  memory: WebAssembly.Memory;
  at: HeapLayout;
  kernel: Kernel;
  /** Bin codes, column-major (a copy of the binned dataset's). */
  codes: Uint8Array;
  /** The row buffer: a tree's rows, partitioned in place node by node. */
  rows: Int32Array;
  /** Gradient and hessian of the row at rows[i] in gh[2i], gh[2i + 1]; they move with the rows. */
  gh: Float64Array;
  /** Which bins of the split feature go left (a split's table, copied in before partitioning). */
  table: Uint8Array;
  /** Histogram slots. */
  arena: Float64Array;
}

const PAGE = 65_536;
/** A 32-bit WebAssembly memory holds at most 65,536 pages (4 GiB). */
const MAX_PAGES = 65_536;

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * Lays out and allocates the heap of a fit over `codes` (nRows x features) with an arena of `arenaLength`
 * doubles. Throws a RangeError naming the sizes when the fit needs more than a 32-bit memory holds.
 */
export function createFitHeap(codes: Uint8Array, nRows: number, arenaLength: number): FitHeap {
  const at: HeapLayout = { codes: 0, rows: 0, gh: 0, scratchRows: 0, scratchGh: 0, table: 0, arena: 0 };
  at.rows = align16(codes.length);
  at.scratchRows = align16(at.rows + 4 * nRows);
  at.gh = align16(at.scratchRows + 4 * nRows);
  at.scratchGh = at.gh + 16 * nRows;
  at.table = at.scratchGh + 16 * nRows;
  at.arena = at.table + 256;
  const bytes = at.arena + 8 * arenaLength;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES) {
    const gib = (bytes / 2 ** 30).toFixed(1);
    const features = nRows > 0 ? codes.length / nRows : 0;
    throw new RangeError(
      `a boosted fit on ${nRows} rows x ${features} features needs ${gib} GiB of working memory; at most 4 GiB is supported (use fewer rows or features)`,
    );
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buf = memory.buffer;
  const heap: FitHeap = {
    memory,
    at,
    kernel: kernelOn(memory),
    codes: new Uint8Array(buf, at.codes, codes.length),
    rows: new Int32Array(buf, at.rows, nRows),
    gh: new Float64Array(buf, at.gh, 2 * nRows),
    table: new Uint8Array(buf, at.table, 256),
    arena: new Float64Array(buf, at.arena, arenaLength),
  };
  heap.codes.set(codes);
  return heap;
}
