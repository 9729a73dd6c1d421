/**
 * StormOps against scikit-learn's HistGradientBoostingClassifier (Debian's python3-sklearn), on the same generated
 * files and settings (100 trees, learning rate 0.1, depth 6, 31 leaves, min leaf 20, L2 1, 255 bins, no early
 * stopping): a single GBDT fit on 200k x 20 and on 1M x 20, and a T-learner (two fits, one per arm) on 200k x 20,
 * each with one thread on both sides and with two threads on both sides (OMP_NUM_THREADS=1 / 2 against
 * STORMOPS threads 1 / 2). Times are the fits alone (binning included on both sides; the worker threads are
 * started by a warm-up fit, as in a running server). Holdout: 100k rows from the same generator; the T-learners
 * are scored with the same sklift metrics (uplift@30% and Qini), the single fits by log loss.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, BenchFigure } from './harness.ts';
import {
  fitGbdt,
  fitTLearner,
  makeSyntheticUplift,
  qiniAucScore,
  selectRows,
  setUpliftThreads,
  upliftAtK,
  type Dataset,
  type GbdtParams,
} from '../packages/uplift/src/index.ts';

const PYTHON = '/usr/bin/python3';
/** The pairs' boosting settings, on both sides (bench/gbdt-fit.ts times one fit with them). */
export const PARAMS: Partial<GbdtParams> = {
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  l2: 1,
  maxBins: 255,
  validationFraction: 0,
};
const HOLDOUT = 100_000;

/** Makes sure scikit-learn can be imported: installs Debian's python3-sklearn when root, else says why not. */
function sklearnReady(ctx: BenchContext): boolean {
  const probe = () => spawnSync(PYTHON, ['-c', 'import sklearn, threadpoolctl'], { stdio: 'ignore' }).status === 0;
  if (probe()) return true;
  if (process.getuid?.() !== 0) {
    ctx.log(
      'scikit-learn pairs skipped: python3-sklearn is not installed and this is not root (apt-get install python3-sklearn)',
    );
    return false;
  }
  ctx.log('installing python3-sklearn with apt-get for the comparison ...');
  spawnSync('apt-get', ['install', '-y', 'python3-sklearn'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (probe()) return true;
  ctx.log('scikit-learn pairs skipped: apt-get install python3-sklearn failed');
  return false;
}

interface Files {
  dir: string;
  train: Dataset;
  holdout: Dataset;
  y: Uint8Array;
  t: Uint8Array;
  yh: Uint8Array;
  th: Uint8Array;
}

function writeColumns(path: string, ds: Dataset): void {
  const buf = new Float64Array(ds.nRows * ds.features.length);
  ds.features.forEach((f, j) => buf.set(f.values, j * ds.nRows));
  writeFileSync(path, new Uint8Array(buf.buffer));
}

/** n training rows + HOLDOUT holdout rows: 19 numeric features and one 4-level categorical. */
function makeFiles(ctx: BenchContext, n: number, seed: number): Files {
  const { ds, y, treatment } = makeSyntheticUplift(n + HOLDOUT, 19, seed);
  const trainRows = Int32Array.from({ length: n }, (_, i) => i);
  const holdRows = Int32Array.from({ length: HOLDOUT }, (_, i) => n + i);
  const dir = join(ctx.tmpDir, `uplift-${n}`);
  mkdirSync(dir, { recursive: true });
  const train = selectRows(ds, trainRows);
  const holdout = selectRows(ds, holdRows);
  writeColumns(join(dir, 'X.f64'), train);
  writeColumns(join(dir, 'H.f64'), holdout);
  writeFileSync(join(dir, 'y.u8'), y.subarray(0, n));
  writeFileSync(join(dir, 't.u8'), treatment.subarray(0, n));
  const categorical = ds.features.flatMap((f, j) => (f.kind === 'categorical' ? [j] : []));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ n, f: ds.features.length, n_holdout: HOLDOUT, categorical, params: PARAMS }),
  );
  return {
    dir,
    train,
    holdout,
    y: y.slice(0, n),
    t: treatment.slice(0, n),
    yh: y.slice(n),
    th: treatment.slice(n),
  };
}

function runSklearn(
  files: Files,
  mode: 'gbdt' | 'tlearner',
  threads: number,
): { sec: number; cpu: number; pred: Float64Array } {
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'uplift_sklearn.py'), files.dir, mode], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
  });
  if (r.status !== 0) throw new Error(`uplift_sklearn.py failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { fit_s: number; cpu_s: number; threads: number };
  if (out.threads !== threads) throw new Error(`scikit-learn ran on ${out.threads} threads, wanted ${threads}`);
  const raw = readFileSync(join(files.dir, `pred-${mode}.f64`));
  return {
    sec: out.fit_s,
    cpu: out.cpu_s,
    pred: new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8).slice(),
  };
}

function logLoss(y: Uint8Array, p: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]!));
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/** Wall seconds and CPU seconds of every thread of this process (the workers included). */
function timed<T>(fn: () => T): { sec: number; cpu: number; result: T } {
  const s = performance.now();
  const c0 = process.cpuUsage();
  const result = fn();
  const c = process.cpuUsage(c0);
  return { sec: (performance.now() - s) / 1000, cpu: (c.user + c.system) / 1e6, result };
}

export function sklearnFigures(ctx: BenchContext): BenchFigure[] {
  if (!sklearnReady(ctx)) return [];
  const out: BenchFigure[] = [];
  const sizes = [200_000, 1_000_000];
  // Warm-up: JIT and worker start (a server has both before its first fit).
  const warm = makeSyntheticUplift(70_000, 19, 99);
  for (const th of [1, 2]) {
    setUpliftThreads(th);
    fitGbdt(warm.ds, warm.y, { ...PARAMS, nEstimators: 5 });
  }
  for (const n of sizes) {
    const files = makeFiles(ctx, n, n === 200_000 ? 21 : 22);
    for (const th of [1, 2]) {
      setUpliftThreads(th);
      const ours = timed(() => fitGbdt(files.train, files.y, PARAMS));
      const oursLoss = logLoss(files.yh, ours.result.predict(files.holdout));
      const sk = runSklearn(files, 'gbdt', th);
      const skLoss = logLoss(files.yh, sk.pred);
      const label = `${n / 1000}k x 20`.replace('1000k', '1M');
      ctx.log(
        `GBDT ${label}, ${th} thread(s): StormOps ${ours.sec.toFixed(2)} s, scikit-learn ${sk.sec.toFixed(2)} s (ratio ${(ours.sec / sk.sec).toFixed(2)}); holdout log loss ${oursLoss.toFixed(5)} vs ${skLoss.toFixed(5)}; load ${loadavg()[0]!.toFixed(1)}`,
      );
      out.push({
        name: `GBDT fit ${label}, ${th} thread(s): StormOps / scikit-learn time`,
        value: ours.sec / sk.sec,
        unit: 'x',
        target: { op: '<=', value: 1 },
        notes: `StormOps ${ours.sec.toFixed(2)} s (CPU ${ours.cpu.toFixed(2)} s), scikit-learn ${sk.sec.toFixed(2)} s (CPU ${sk.cpu.toFixed(2)} s, OMP_NUM_THREADS=${th}); holdout log loss ${oursLoss.toFixed(5)} vs ${skLoss.toFixed(5)}; load ${loadavg()[0]!.toFixed(1)}`,
      });
    }
    if (n !== 200_000) continue;
    for (const th of [1, 2]) {
      setUpliftThreads(th);
      const ours = timed(() =>
        fitTLearner(files.train, files.y, files.t, { learner: { type: 'gbdt', params: PARAMS } }),
      );
      const u = ours.result.predictUplift(files.holdout);
      const sk = runSklearn(files, 'tlearner', th);
      const at30 = [
        upliftAtK(files.yh, u, files.th, 'overall', 0.3),
        upliftAtK(files.yh, sk.pred, files.th, 'overall', 0.3),
      ];
      const qini = [qiniAucScore(files.yh, u, files.th), qiniAucScore(files.yh, sk.pred, files.th)];
      ctx.log(
        `T-learner 200k x 20, ${th} thread(s): StormOps ${ours.sec.toFixed(2)} s, scikit-learn ${sk.sec.toFixed(2)} s (ratio ${(ours.sec / sk.sec).toFixed(2)}); holdout uplift@30% ${at30[0]!.toFixed(4)} vs ${at30[1]!.toFixed(4)}, Qini ${qini[0]!.toFixed(4)} vs ${qini[1]!.toFixed(4)}`,
      );
      out.push(
        {
          name: `T-learner fit 200k x 20, ${th} thread(s): StormOps / scikit-learn time`,
          value: ours.sec / sk.sec,
          unit: 'x',
          target: { op: '<=', value: 1 },
          notes: `StormOps ${ours.sec.toFixed(2)} s (CPU ${ours.cpu.toFixed(2)} s), scikit-learn ${sk.sec.toFixed(2)} s (CPU ${sk.cpu.toFixed(2)} s; two HistGradientBoostingClassifier fits, OMP_NUM_THREADS=${th}); load ${loadavg()[0]!.toFixed(1)}`,
        },
        {
          name: `T-learner holdout uplift@30%, ${th} thread(s): scikit-learn minus StormOps`,
          value: at30[1]! - at30[0]!,
          unit: '',
          target: { op: '<=', value: 0.005 },
          notes: `StormOps ${at30[0]!.toFixed(4)}, scikit-learn ${at30[1]!.toFixed(4)} (100k holdout rows)`,
        },
        {
          name: `T-learner holdout Qini, ${th} thread(s): scikit-learn minus StormOps`,
          value: qini[1]! - qini[0]!,
          unit: '',
          target: { op: '<=', value: 0.005 },
          notes: `StormOps ${qini[0]!.toFixed(4)}, scikit-learn ${qini[1]!.toFixed(4)} (sklift qini_auc_score)`,
        },
      );
    }
  }
  setUpliftThreads(1);
  return out;
}
