/**
 * Decision trees as flat typed arrays (shared by gradient boosting and the uplift forest).
 * A node with `feature[i] < 0` is a leaf holding `value[i]`. Internal nodes send a row left when
 * - numeric: x <= threshold[i];
 * - categorical: the code x is in the node's left set (`catMask`, 256 flags per categorical node);
 * - missing (NaN): `missingLeft[i] === 1`.
 */
import { asShared, runParallel } from '../parallel/pool.ts';
import { upliftThreads } from '../parallel/threads.ts';
import { addCompiledPrediction, compileTree } from './compiled.ts';

/** A trained tree in flat form. */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Index into catMask blocks (-1 for numeric splits and leaves). */
  catIndex: Int32Array;
  /** 256 flags per categorical split: 1 = code goes left. */
  catMask: Uint8Array;
}

/** JSON form of a tree: arrays of numbers; categorical splits list their left-going codes. */
export interface TreeJSON {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cats: (number[] | null)[];
}

/** A split chosen during growth. `leftCats` is set for categorical splits. */
export interface SplitSpec {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  leftCats: number[] | null;
}

/** Incremental builder: add nodes in any order, then `finish()`. */
export class TreeBuilder {
  private readonly nodes: { split: SplitSpec | null; left: number; right: number; value: number }[] = [];

  /** Adds a leaf (value may be set later) and returns its id. */
  addLeaf(value = 0): number {
    this.nodes.push({ split: null, left: -1, right: -1, value });
    return this.nodes.length - 1;
  }

  setValue(id: number, value: number): void {
    this.nodes[id]!.value = value;
  }

  /** Turns leaf `id` into a split with two new leaf children; returns their ids. */
  split(id: number, split: SplitSpec): [number, number] {
    const l = this.addLeaf();
    const r = this.addLeaf();
    const node = this.nodes[id]!;
    node.split = split;
    node.left = l;
    node.right = r;
    return [l, r];
  }

  finish(): FlatTree {
    return fromJSONTree(this.toJSON());
  }

  toJSON(): TreeJSON {
    const t: TreeJSON = { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [], cats: [] };
    for (const n of this.nodes) {
      t.feature.push(n.split ? n.split.feature : -1);
      t.threshold.push(n.split ? n.split.threshold : 0);
      t.missingLeft.push(n.split?.missingLeft ? 1 : 0);
      t.left.push(n.left);
      t.right.push(n.right);
      t.value.push(n.value);
      t.cats.push(n.split?.leftCats ?? null);
    }
    return t;
  }
}

/**
 * Rebuilds a flat tree from its JSON form (validating shape).
 *
 * @example
 * const tree = fromJSONTree(JSON.parse(text));
 */
export function fromJSONTree(t: TreeJSON): FlatTree {
  const m = t.feature.length;
  for (const k of ['threshold', 'missingLeft', 'left', 'right', 'value', 'cats'] as const) {
    if (!Array.isArray(t[k]) || t[k].length !== m) throw new TypeError(`tree.${k} must be an array of length ${m}`);
  }
  const catIndex = new Int32Array(m).fill(-1);
  let nCat = 0;
  for (let i = 0; i < m; i++) if (t.cats[i]) catIndex[i] = nCat++;
  const catMask = new Uint8Array(nCat * 256);
  for (let i = 0; i < m; i++) {
    const c = t.cats[i];
    if (c) for (const code of c) catMask[catIndex[i]! * 256 + code] = 1;
  }
  return {
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    missingLeft: Uint8Array.from(t.missingLeft),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
    catIndex,
    catMask,
  };
}

/** JSON form of a flat tree. */
export function treeToJSON(tree: FlatTree): TreeJSON {
  const cats: (number[] | null)[] = [];
  for (let i = 0; i < tree.feature.length; i++) {
    const ci = tree.catIndex[i]!;
    if (ci < 0) {
      cats.push(null);
      continue;
    }
    const codes: number[] = [];
    for (let c = 0; c < 256; c++) if (tree.catMask[ci * 256 + c]) codes.push(c);
    cats.push(codes);
  }
  return {
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    missingLeft: Array.from(tree.missingLeft),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
    cats,
  };
}

/** Leaf index reached by row `i`. */
export function leafOf(tree: FlatTree, cols: Float64Array[], i: number): number {
  const { feature, threshold, missingLeft, left, right, catIndex, catMask } = tree;
  let node = 0;
  let f = feature[0]!;
  while (f >= 0) {
    const x = cols[f]![i]!;
    let goLeft: boolean;
    if (x !== x) goLeft = missingLeft[node] === 1;
    else {
      const ci = catIndex[node]!;
      goLeft = ci < 0 ? x <= threshold[node]! : x >= 0 && x < 256 && catMask[ci * 256 + x] === 1;
    }
    node = goLeft ? left[node]! : right[node]!;
    f = feature[node]!;
  }
  return node;
}

/**
 * Adds `scale * leafValue` of the tree to `out[k]` for rows k in [start, end) (row `rows[k]` when given).
 * The traversal is inlined with the node arrays hoisted: this loop is the prediction hot path.
 *
 * @example
 * addTreePrediction(tree, cols, 0, n, scores, 1);
 */
export function addTreePrediction(
  tree: FlatTree,
  cols: Float64Array[],
  start: number,
  end: number,
  out: Float64Array,
  scale: number,
  rows?: Int32Array,
): void {
  const { feature, threshold, missingLeft, left, right, catIndex, catMask, value } = tree;
  const root = feature[0]!;
  for (let k = start; k < end; k++) {
    const i = rows ? rows[k]! : k;
    let node = 0;
    let f = root;
    while (f >= 0) {
      const x = cols[f]![i]!;
      const ci = catIndex[node]!;
      let goLeft: boolean;
      if (x !== x) goLeft = missingLeft[node] === 1;
      else if (ci < 0) goLeft = x <= threshold[node]!;
      else goLeft = x >= 0 && x < 256 && catMask[(ci << 8) + x] === 1;
      node = goLeft ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    out[k] = out[k]! + scale * value[node]!;
  }
}

/** Rows per block when predicting with many trees: a block's column slices stay in cache across trees. */
export const PREDICT_BLOCK = 4096;

/**
 * Adds `scale * sum of tree predictions` to `out`, block by block (all trees over one block of rows, then
 * the next), optionally for the rows `rows` only (out[k] belongs to rows[k]).
 *
 * @example
 * const out = new Float64Array(n); addForestPrediction(trees, cols, n, out, 1 / trees.length);
 */
export function addForestPrediction(
  trees: FlatTree[],
  cols: Float64Array[],
  n: number,
  out: Float64Array,
  scale: number,
  rows?: Int32Array,
): void {
  const threads = Math.min(upliftThreads(), Math.floor(n / PARALLEL_MIN_ROWS));
  if (threads < 2) {
    addForestRange(trees, cols, 0, n, out, scale, rows);
    return;
  }
  // Row ranges per thread; every row sums its trees in the same order, so results do not depend on threads.
  const shared = asShared(out);
  const task = (k: number): PredictTask => ({
    kind: 'predict',
    trees,
    cols: cols.map(asShared),
    start: Math.floor((k * n) / threads),
    end: Math.floor(((k + 1) * n) / threads),
    out: shared,
    scale,
    rows: rows ? asShared(rows) : undefined,
  });
  const first = task(0);
  runParallel(
    Array.from({ length: threads - 1 }, (_, k) => task(k + 1)),
    () => addForestRange(trees, cols, first.start, first.end, shared, scale, rows),
  );
  if (shared !== out) out.set(shared);
}

/** Below this many rows per thread prediction stays on the calling thread. */
const PARALLEL_MIN_ROWS = 32_768;

/** A worker thread's share of a prediction: rows [start, end). */
export interface PredictTask {
  kind: 'predict';
  trees: FlatTree[];
  cols: Float64Array[];
  start: number;
  end: number;
  out: Float64Array;
  scale: number;
  rows: Int32Array | undefined;
}

export function predictTask(t: PredictTask): void {
  addForestRange(t.trees, t.cols, t.start, t.end, t.out, t.scale, t.rows);
}

function addForestRange(
  trees: FlatTree[],
  cols: Float64Array[],
  start: number,
  end: number,
  out: Float64Array,
  scale: number,
  rows?: Int32Array,
): void {
  const compiled = trees.map(compileTree);
  for (let b = start; b < end; b += PREDICT_BLOCK) {
    const e = Math.min(end, b + PREDICT_BLOCK);
    for (let j = 0; j < trees.length; j++) {
      const c = compiled[j];
      if (c) addCompiledPrediction(c, cols, b, e, out, scale, rows);
      else addTreePrediction(trees[j]!, cols, b, e, out, scale, rows);
    }
  }
}
