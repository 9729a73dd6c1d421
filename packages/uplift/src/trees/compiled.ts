/**
 * Prediction layout for numeric-only trees of modest depth: the tree is re-laid as a complete binary tree
 * (children of k at 2k+1 and 2k+2; shallow leaves padded with always-left nodes), so traversal is a fixed
 * number of steps with no leaf test, and missing values become -Infinity or +Infinity per node.
 * Produces exactly the same leaf as `FlatTree` traversal.
 */
import type { FlatTree } from './flat-tree.ts';

/** A complete-tree copy of a numeric-only FlatTree. */
export interface CompiledTree {
  depth: number;
  feature: Int32Array;
  threshold: Float64Array;
  /** 1 when a missing value goes right at this node. */
  nanRight: Uint8Array;
  leafValue: Float64Array;
}

/** Deepest layout compiled (2^depth leaves); deeper or categorical trees use the generic traversal. */
export const MAX_COMPILED_DEPTH = 10;

const cache = new WeakMap<FlatTree, CompiledTree | null>();

function depthOf(t: FlatTree, node: number): number {
  return t.feature[node]! < 0 ? 0 : 1 + Math.max(depthOf(t, t.left[node]!), depthOf(t, t.right[node]!));
}

/**
 * The compiled layout of `t` (cached), or null when it has categorical splits or is deeper than MAX_COMPILED_DEPTH.
 *
 * @example
 * const c = compileTree(tree); if (c) addCompiledPrediction(c, cols, 0, n, out, 1);
 */
export function compileTree(t: FlatTree): CompiledTree | null {
  const hit = cache.get(t);
  if (hit !== undefined) return hit;
  let c: CompiledTree | null = null;
  const depth = depthOf(t, 0);
  if (t.catMask.length === 0 && depth <= MAX_COMPILED_DEPTH) {
    const nInner = (1 << depth) - 1;
    c = {
      depth,
      feature: new Int32Array(nInner),
      threshold: new Float64Array(nInner).fill(Infinity),
      nanRight: new Uint8Array(nInner),
      leafValue: new Float64Array(1 << depth),
    };
    place(t, c, 0, 0, 0);
  }
  cache.set(t, c);
  return c;
}

function place(t: FlatTree, c: CompiledTree, node: number, k: number, d: number): void {
  if (d === c.depth) {
    c.leafValue[k - c.feature.length] = t.value[node]!;
    return;
  }
  const f = t.feature[node]!;
  if (f < 0) {
    // a shallow leaf: pad with always-left nodes (threshold +Infinity, missing left); both sides carry the value
    place(t, c, node, 2 * k + 1, d + 1);
    place(t, c, node, 2 * k + 2, d + 1);
    return;
  }
  c.feature[k] = f;
  c.threshold[k] = t.threshold[node]!;
  c.nanRight[k] = t.missingLeft[node] === 1 ? 0 : 1;
  place(t, c, t.left[node]!, 2 * k + 1, d + 1);
  place(t, c, t.right[node]!, 2 * k + 2, d + 1);
}

/** Adds `scale * leaf` of a compiled tree to out[k] for k in [start, end) (row rows[k] when given). */
export function addCompiledPrediction(
  c: CompiledTree,
  cols: Float64Array[],
  start: number,
  end: number,
  out: Float64Array,
  scale: number,
  rows?: Int32Array,
): void {
  const { depth, feature, threshold, nanRight, leafValue } = c;
  const nInner = feature.length;
  for (let k = start; k < end; k++) {
    const i = rows ? rows[k]! : k;
    let node = 0;
    for (let d = 0; d < depth; d++) {
      const x = cols[feature[node]!]![i]!;
      const right = x !== x ? nanRight[node]! : x > threshold[node]! ? 1 : 0;
      node = 2 * node + 1 + right;
    }
    out[k] = out[k]! + scale * leafValue[node - nInner]!;
  }
}
