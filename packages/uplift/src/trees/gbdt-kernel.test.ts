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

  // A node of random rows over 7 features (one pass of five, then two single ones), against a plain loop.
  const nRows = 5_000;
  const nF = 7;
  const nBins = 256;
  const rng = createRng(5);
  const codes = Uint8Array.from({ length: nRows * nF }, () => rng.int(nBins));
  const heap = createFitHeap(codes, nRows, 2 * nF * nBins * 3);
  for (let i = 0; i < 2 * nRows; i++) heap.grad[i] = rng.normal();
  const node: number[] = [];
  for (let r = 0; r < nRows; r++) if (rng.next() < 0.3) node.push(r);
  heap.rows.set(node);
  const m = node.length;
  const { kernel, at } = heap;
  const histAt = (f: number): number => at.arena + 8 * f * nBins * 3;

  it('gathers a node’s gradients in node order', () => {
    kernel.gather(at.rows, m, at.grad, at.gh);
    for (let i = 0; i < m; i++) {
      expect(heap.gh[2 * i]).toBe(heap.grad[2 * node[i]!]);
      expect(heap.gh[2 * i + 1]).toBe(heap.grad[2 * node[i]! + 1]);
    }
  });

  it('sums (gradient, hessian, count) per bin exactly as a plain loop does', () => {
    kernel.gather(at.rows, m, at.grad, at.gh);
    heap.arena.fill(0);
    kernel.hist5(at.rows, m, at.gh, at.codes, nRows, histAt(0), histAt(1), histAt(2), histAt(3), histAt(4));
    for (let f = 5; f < nF; f++) kernel.hist1(at.rows, m, at.gh, at.codes + f * nRows, histAt(f));
    const want = new Float64Array(nF * nBins * 3);
    for (let f = 0; f < nF; f++)
      for (let i = 0; i < m; i++) {
        const k = (f * nBins + codes[f * nRows + node[i]!]!) * 3;
        want[k] = want[k]! + heap.grad[2 * node[i]!]!;
        want[k + 1] = want[k + 1]! + heap.grad[2 * node[i]! + 1]!;
        want[k + 2] = want[k + 2]! + 1;
      }
    expect(Array.from(heap.arena.subarray(0, want.length))).toEqual(Array.from(want));
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
