import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNELS, outputOf, renderKernel } from '../../../../scripts/build-wasm.ts';
import { createRng } from '../random.ts';
import { createFitHeap } from './gbdt-heap.ts';

describe('the WebAssembly histogram kernel', () => {
  it('is assembled from its text source (npm run build:wasm after editing the .wat)', async () => {
    for (const wat of KERNELS) {
      const fresh = await renderKernel(wat);
      expect(readFileSync(outputOf(wat), 'utf8') === fresh, `${outputOf(wat)} is stale: run npm run build:wasm`).toBe(
        true,
      );
    }
  });

  // A node of random rows over 7 features (one pass of five, then two single ones), against plain loops.
  const nRows = 5_000;
  const nF = 7;
  const nBins = 256;
  const rng = createRng(5);
  const codes = Uint8Array.from({ length: nRows * nF }, () => rng.int(nBins));
  const heap = createFitHeap(codes, nRows, 2 * nF * nBins * 3);
  const node: number[] = [];
  for (let r = 0; r < nRows; r++) if (rng.next() < 0.3) node.push(r);
  const m = node.length;
  const grad = Float64Array.from({ length: 2 * m }, () => rng.normal());
  const { kernel, at } = heap;
  const histAt = (f: number): number => at.arena + 8 * f * nBins * 3;
  const load = (): void => {
    heap.rows.set(node);
    heap.gh.set(grad);
  };

  it('sums (gradient, hessian, count) per bin exactly as a plain loop does', () => {
    load();
    heap.arena.fill(0);
    kernel.hist5(at.rows, m, at.gh, at.codes, nRows, histAt(0), histAt(1), histAt(2), histAt(3), histAt(4));
    for (let f = 5; f < nF; f++) kernel.hist1(at.rows, m, at.gh, at.codes + f * nRows, histAt(f));
    const want = new Float64Array(nF * nBins * 3);
    for (let f = 0; f < nF; f++)
      for (let i = 0; i < m; i++) {
        const k = (f * nBins + codes[f * nRows + node[i]!]!) * 3;
        want[k] = want[k]! + grad[2 * i]!;
        want[k + 1] = want[k + 1]! + grad[2 * i + 1]!;
        want[k + 2] = want[k + 2]! + 1;
      }
    expect(Array.from(heap.arena.subarray(0, want.length))).toEqual(Array.from(want));
  });

  it('partitions rows stably, their gradients moving with them', () => {
    load();
    const f = 3;
    const table = Uint8Array.from({ length: 256 }, (_, b) => (b < 100 || b === 200 ? 1 : 0));
    heap.table.set(table);
    const left = kernel.partition(at.rows, at.gh, m, at.codes + f * nRows, at.table, at.scratchRows, at.scratchGh);
    const goesLeft = (i: number): boolean => table[codes[f * nRows + node[i]!]!] === 1;
    const order = [...node.keys()].filter(goesLeft).concat([...node.keys()].filter((i) => !goesLeft(i)));
    expect(left).toBe(node.filter((_, i) => goesLeft(i)).length);
    expect(Array.from(heap.rows.subarray(0, m))).toEqual(order.map((i) => node[i]));
    expect(Array.from(heap.gh.subarray(0, 2 * m))).toEqual(order.flatMap((i) => [grad[2 * i], grad[2 * i + 1]]));
  });

  it('partitions a range that starts inside the buffer, with its scratch at the same place', () => {
    load();
    const f = 1;
    const [lo, hi] = [100, m - 50];
    const table = Uint8Array.from({ length: 256 }, (_, b) => (b % 3 === 0 ? 1 : 0));
    heap.table.set(table);
    const left = kernel.partition(
      at.rows + 4 * lo,
      at.gh + 16 * lo,
      hi - lo,
      at.codes + f * nRows,
      at.table,
      at.scratchRows + 4 * lo,
      at.scratchGh + 16 * lo,
    );
    const goesLeft = (i: number): boolean => table[codes[f * nRows + node[i]!]!] === 1;
    const inside = [...node.keys()].slice(lo, hi);
    const order = [...node.keys()].slice(0, lo).concat(
      inside.filter(goesLeft),
      inside.filter((i) => !goesLeft(i)),
      [...node.keys()].slice(hi),
    );
    expect(left).toBe(inside.filter(goesLeft).length);
    expect(Array.from(heap.rows.subarray(0, m))).toEqual(order.map((i) => node[i]));
    expect(Array.from(heap.gh.subarray(0, 2 * m))).toEqual(order.flatMap((i) => [grad[2 * i], grad[2 * i + 1]]));
  });

  it('subtracts a child from its parent, odd lengths included', () => {
    const n = 1001;
    const parent = Float64Array.from({ length: n }, () => rng.normal());
    const child = Float64Array.from({ length: n }, () => rng.normal());
    heap.arena.fill(0);
    heap.arena.set(parent, 0);
    heap.arena.set(child, 2000);
    kernel.subtract(at.arena, at.arena + 8 * 2000, n);
    expect(Array.from(heap.arena.subarray(0, n))).toEqual(Array.from(parent, (v, k) => v - child[k]!));
    expect(heap.arena[n]).toBe(0);
  });

  it('refuses a fit larger than a 32-bit memory, naming its size', () => {
    expect(() => createFitHeap(new Uint8Array(0), 300_000_000, 0)).toThrow(/300000000 rows x 0 features needs .* GiB/);
  });
});
