/**
 * `model evaluate`: scikit-uplift's metrics for any scores in a CSV (one row per unit: treatment, outcome, score),
 * streamed so a large file never sits in memory as text.
 */
import { qiniAucScore, upliftAtK, upliftAucScore } from '@stormops/uplift';
import { AppError } from '../../errors.ts';
import { openCsv } from '../../lib/csv/reader.ts';
import { ImportError, importErrorToAppError } from '../../lib/csv/errors.ts';
import type { ByteSource } from '../../lib/csv/tabular.ts';

export interface EvaluateInput {
  source: ByteSource;
  sourceName: string;
  treatmentCol: string;
  outcomeCol: string;
  scoreCol: string;
  /** Share (0..1) or count of units targeted for uplift@k; default 0.3. */
  k?: number;
}

export interface EvaluateResult {
  n: number;
  n_treatment: number;
  n_control: number;
  qini_auc_score: number;
  uplift_auc_score: number;
  uplift_at_k: { k: number; overall: number; by_group: number };
}

const ONE = new Set(['1', 'true', 'yes', 'treat', 'treatment']);
const ZERO = new Set(['0', 'false', 'no', 'hold', 'control']);

function binary(v: string, row: number, column: string, file: string): number {
  const s = v.trim().toLowerCase();
  if (ONE.has(s)) return 1;
  if (ZERO.has(s)) return 0;
  throw new AppError('VALIDATION', `${file}, row ${row}, column ${column}: ${JSON.stringify(v)} is not 0/1`, {
    file,
    row,
    column,
    value: v,
  });
}

export async function evaluateScores(input: EvaluateInput): Promise<EvaluateResult> {
  const k = input.k ?? 0.3;
  const y: number[] = [];
  const t: number[] = [];
  const s: number[] = [];
  try {
    const csv = await openCsv(input.source);
    const col = (name: string) => {
      const i = csv.header.indexOf(name);
      if (i < 0)
        throw new AppError(
          'VALIDATION',
          `${input.sourceName}: no column ${name}; columns are ${csv.header.join(', ')}`,
          { column: name },
        );
      return i;
    };
    const [ti, yi, si] = [col(input.treatmentCol), col(input.outcomeCol), col(input.scoreCol)];
    for await (const batch of csv.batches) {
      for (const r of batch) {
        t.push(binary(r.fields[ti] ?? '', r.rowNumber, input.treatmentCol, input.sourceName));
        y.push(binary(r.fields[yi] ?? '', r.rowNumber, input.outcomeCol, input.sourceName));
        const score = Number(r.fields[si]);
        if (r.fields[si]?.trim() === '' || !Number.isFinite(score)) {
          throw new AppError(
            'VALIDATION',
            `${input.sourceName}, row ${r.rowNumber}, column ${input.scoreCol}: ${JSON.stringify(r.fields[si])} is not a number`,
          );
        }
        s.push(score);
      }
    }
  } catch (err) {
    if (err instanceof ImportError) throw importErrorToAppError(err, input.sourceName);
    throw err;
  }
  const nT = t.reduce((a, b) => a + b, 0);
  if (nT === 0 || nT === t.length)
    throw new AppError('VALIDATION', `${input.sourceName}: both arms need rows; got ${nT} treated of ${t.length}`);
  try {
    return {
      n: t.length,
      n_treatment: nT,
      n_control: t.length - nT,
      qini_auc_score: qiniAucScore(y, s, t),
      uplift_auc_score: upliftAucScore(y, s, t),
      uplift_at_k: { k, overall: upliftAtK(y, s, t, 'overall', k), by_group: upliftAtK(y, s, t, 'by_group', k) },
    };
  } catch (err) {
    if (err instanceof RangeError) throw new AppError('VALIDATION', `k: ${err.message}`);
    throw err;
  }
}
