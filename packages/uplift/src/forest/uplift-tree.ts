/**
 * Growth of one uplift tree on uint8-binned features. Per node and per sampled feature, one pass over the
 * node's rows fills a histogram of (bin, arm, outcome) counts; splits are scanned over bin prefixes
 * (categorical bins ordered by their observed uplift), with missing values tried on either side.
 * Rows are partitioned in place. Leaves hold pT - pC.
 */
import type { BinnedDataset, FeatureBins } from '../data/binning.ts';
import { sampleWithoutReplacement, type Rng } from '../random.ts';
import { TreeBuilder, type FlatTree, type SplitSpec } from '../trees/flat-tree.ts';
import { leftBinTable, partitionRows } from '../trees/partition.ts';
import { divergence, type UpliftCriterion } from './criteria.ts';

/** Tree parameters. */
export interface UpliftTreeParams {
  criterion: UpliftCriterion;
  maxDepth: number;
  minSamplesLeaf: number;
  /** Minimum rows of EACH arm in every child. */
  minSamplesTreatment: number;
  /** Features sampled per node (0 or >= number of features: all). */
  maxFeatures: number;
  /** Minimum gain for a split. */
  minGain: number;
}

/** Per-row inputs: arm-outcome code (2 * treatment + y) and the binned features. */
export interface UpliftTreeData {
  binned: BinnedDataset;
  code: Uint8Array;
}

/** Counts [c0, c1, t0, t1]: control/treated x outcome 0/1. */
type Counts = [number, number, number, number];

interface Best {
  gain: number;
  feature: number;
  bin: number;
  leftCats: number[] | null;
  missingLeft: boolean;
  left: Counts;
}

/** Scratch buffers reused across nodes and trees. */
interface Scratch {
  hist: Int32Array;
  codes: Uint8Array;
  pool: Int32Array;
  part: Int32Array;
}

function rates(c: Counts): { nT: number; nC: number; pT: number; pC: number } {
  const nC = c[0] + c[1];
  const nT = c[2] + c[3];
  return { nT, nC, pT: nT > 0 ? c[3] / nT : 0, pC: nC > 0 ? c[1] / nC : 0 };
}

/**
 * Grows one tree on rows[0..n) (reordered in place).
 *
 * @example
 * const tree = growUpliftTree(data, rows, params, createRng(1));
 */
export function growUpliftTree(data: UpliftTreeData, rows: Int32Array, p: UpliftTreeParams, rng: Rng): FlatTree {
  const nF = data.binned.bins.length;
  const scratch: Scratch = {
    hist: new Int32Array(4 * 1024),
    codes: new Uint8Array(rows.length),
    pool: Int32Array.from({ length: nF }, (_, i) => i),
    part: new Int32Array(rows.length),
  };
  const builder = new TreeBuilder();
  const root: Counts = [0, 0, 0, 0];
  for (let i = 0; i < rows.length; i++) root[data.code[rows[i]!]! as 0 | 1 | 2 | 3]++;
  grow(builder.addLeaf(), 0, rows.length, 0, root);
  return builder.finish();

  function grow(id: number, start: number, end: number, depth: number, counts: Counts): void {
    const r = rates(counts);
    builder.setValue(id, r.pT - r.pC);
    if (depth >= p.maxDepth || end - start < 2 * p.minSamplesLeaf) return;
    if (r.nT < 2 * p.minSamplesTreatment || r.nC < 2 * p.minSamplesTreatment) return;
    const best = findSplit(data, rows, start, end, counts, p, rng, scratch);
    if (!best) return;
    const l = data.binned.layout[best.feature]!;
    const mid = partitionRows(
      rows,
      start,
      end,
      data.binned.bins[best.feature]!,
      leftBinTable(l, best.bin, best.leftCats, best.missingLeft),
      scratch.part,
    );
    const spec: SplitSpec = {
      feature: best.feature,
      threshold: l.kind === 'numeric' ? l.edges[best.bin]! : 0,
      missingLeft: best.missingLeft,
      leftCats: best.leftCats,
    };
    const [li, ri] = builder.split(id, spec);
    const right: Counts = [
      counts[0] - best.left[0],
      counts[1] - best.left[1],
      counts[2] - best.left[2],
      counts[3] - best.left[3],
    ];
    grow(li, start, mid, depth + 1, best.left);
    grow(ri, mid, end, depth + 1, right);
  }
}

function findSplit(
  data: UpliftTreeData,
  rows: Int32Array,
  start: number,
  end: number,
  counts: Counts,
  p: UpliftTreeParams,
  rng: Rng,
  s: Scratch,
): Best | null {
  const nF = data.binned.bins.length;
  const m = end - start;
  const codes = s.codes;
  const code = data.code;
  for (let i = 0; i < m; i++) codes[i] = code[rows[start + i]!]!;
  const features =
    p.maxFeatures > 0 && p.maxFeatures < nF ? sampleWithoutReplacement(nF, p.maxFeatures, rng, s.pool) : s.pool;
  const parent = rates(counts);
  const parentDiv = divergence(p.criterion, parent.pT, parent.pC);
  let best: Best | null = null;
  const hist = s.hist;
  // Histograms of up to four features are filled in one pass over the node's rows.
  for (let k0 = 0; k0 < features.length; k0 += 4) {
    const g = Math.min(4, features.length - k0);
    hist.fill(0);
    fillHistograms(data, rows, start, m, codes, features, k0, g, hist);
    for (let q = 0; q < g; q++) {
      const j = features[k0 + q]!;
      const c = scanFeature(
        hist.subarray(q * 1024, q * 1024 + 1024),
        data.binned.layout[j]!,
        counts,
        m,
        parentDiv,
        p,
        best?.gain ?? p.minGain,
      );
      if (c) {
        c.feature = j;
        best = c;
      }
    }
  }
  return best;
}

/** Fills `g` (1..4) histograms of 256 bins x 4 (arm, outcome) counts, one per feature, at 1024-int strides. */
function fillHistograms(
  data: UpliftTreeData,
  rows: Int32Array,
  start: number,
  m: number,
  codes: Uint8Array,
  features: Int32Array,
  k0: number,
  g: number,
  hist: Int32Array,
): void {
  const bins = data.binned.bins;
  if (g === 4) {
    const b0 = bins[features[k0]!]!;
    const b1 = bins[features[k0 + 1]!]!;
    const b2 = bins[features[k0 + 2]!]!;
    const b3 = bins[features[k0 + 3]!]!;
    for (let i = 0; i < m; i++) {
      const r = rows[start + i]!;
      const c = codes[i]!;
      hist[(b0[r]! << 2) | c]!++;
      hist[1024 + ((b1[r]! << 2) | c)]!++;
      hist[2048 + ((b2[r]! << 2) | c)]!++;
      hist[3072 + ((b3[r]! << 2) | c)]!++;
    }
    return;
  }
  for (let q = 0; q < g; q++) {
    const b = bins[features[k0 + q]!]!;
    const o = q * 1024;
    for (let i = 0; i < m; i++) hist[o + ((b[rows[start + i]!]! << 2) | codes[i]!)]!++;
  }
}

/** Value bins in scan order: numeric by value; categorical by smoothed observed uplift. */
const IDENTITY = Int32Array.from({ length: 256 }, (_, b) => b);

function scanOrder(hist: Int32Array, l: FeatureBins): Int32Array {
  if (l.kind === 'numeric') return IDENTITY.subarray(0, l.nValueBins);
  const cats: number[] = [];
  const u = new Float64Array(l.nValueBins);
  for (let b = 0; b < l.nValueBins; b++) {
    const o = b * 4;
    const nC = hist[o]! + hist[o + 1]!;
    const nT = hist[o + 2]! + hist[o + 3]!;
    if (nC + nT === 0) continue;
    cats.push(b);
    u[b] = (hist[o + 3]! + 0.5) / (nT + 1) - (hist[o + 1]! + 0.5) / (nC + 1);
  }
  return Int32Array.from(cats.sort((a, b) => u[a]! - u[b]! || a - b));
}

function scanFeature(
  hist: Int32Array,
  l: FeatureBins,
  counts: Counts,
  n: number,
  parentDiv: number,
  p: UpliftTreeParams,
  bar: number,
): Best | null {
  const order = scanOrder(hist, l);
  const mo = l.missingBin * 4;
  const miss: Counts = [hist[mo]!, hist[mo + 1]!, hist[mo + 2]!, hist[mo + 3]!];
  const hasMiss = miss[0] + miss[1] + miss[2] + miss[3] > 0;
  const acc: Counts = [0, 0, 0, 0];
  let best: Best | null = null;
  let bestK = -1;
  for (let k = 0; k + 1 < order.length; k++) {
    const o = order[k]! * 4;
    acc[0] += hist[o]!;
    acc[1] += hist[o + 1]!;
    acc[2] += hist[o + 2]!;
    acc[3] += hist[o + 3]!;
    for (let ml = 0; ml < (hasMiss ? 2 : 1); ml++) {
      const L: Counts = [acc[0] + ml * miss[0], acc[1] + ml * miss[1], acc[2] + ml * miss[2], acc[3] + ml * miss[3]];
      const gain = splitGain(L, counts, n, parentDiv, p);
      if (gain > (best?.gain ?? bar)) {
        best = { gain, feature: -1, bin: order[k]!, leftCats: null, missingLeft: ml === 1, left: L };
        bestK = k;
      }
    }
  }
  if (best && l.kind === 'categorical') best.leftCats = Array.from(order.subarray(0, bestK + 1)).sort((a, b) => a - b);
  return best;
}

function splitGain(L: Counts, counts: Counts, n: number, parentDiv: number, p: UpliftTreeParams): number {
  const lc = L[0] + L[1];
  const lt = L[2] + L[3];
  const rc = counts[0] + counts[1] - lc;
  const rt = counts[2] + counts[3] - lt;
  const nl = lc + lt;
  if (nl < p.minSamplesLeaf || n - nl < p.minSamplesLeaf) return -Infinity;
  const mt = p.minSamplesTreatment;
  if (lc < mt || lt < mt || rc < mt || rt < mt) return -Infinity;
  const dl = divergence(p.criterion, L[3] / lt, L[1] / lc);
  const dr = divergence(p.criterion, (counts[3] - L[3]) / rt, (counts[1] - L[1]) / rc);
  return (nl / n) * dl + ((n - nl) / n) * dr - parentDiv;
}
