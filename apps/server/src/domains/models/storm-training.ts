/**
 * Training rows from a past storm of the tenant: every property that was randomized to treat or hold, with its
 * current outcome. A property with no logged outcome counts as not converted: outcomes are logged for what happened,
 * and a home that never signed has nothing to log.
 */
import type { ServiceContext } from '../auth/principal.ts';
import { withStorm } from '../storms/storms.service.ts';
import { stormTrainingRows } from './models.repo.ts';
import type { PropertyLike } from './features.ts';
import type { LabelledRows } from './training-data.ts';

export async function loadStormTraining(
  ctx: ServiceContext,
  stormId: string,
): Promise<{ tenantId: string; labelled: LabelledRows }> {
  return withStorm(ctx, stormId, async (trx, storm) => {
    const rows = await stormTrainingRows(trx, stormId);
    return {
      tenantId: storm.tenant_id,
      labelled: {
        rows: rows as PropertyLike[],
        treatment: Float64Array.from(rows, (r) => (r.arm === 'treat' ? 1 : 0)),
        outcome: Float64Array.from(rows, (r) => (r.converted ? 1 : 0)),
        skipped: 0,
        leftOut: 0,
        kind: 'storm',
      },
    };
  });
}
