/** Crew inputs (territories, walk lists, knocks), shared by the SDK, the CLI and the HTTP routes. */
import { z } from 'zod';
import { int4, queryInt4, text } from '../fields.ts';
import { KNOCK_RESULTS } from './knock-results.ts';

const canvasserName = text().trim().min(1, 'must not be empty').max(100);

/** POST /storms/:storm_id/territories, `policy territories`, `policy.planTerritories(...)`. */
export const planInput = z
  .object({
    storm_id: text(),
    /** Canvasser names, or a count (names become canvasser-1..n). */
    canvassers: z.union([z.array(canvasserName).min(1).max(1000), int4().min(1).max(1000)]),
  })
  .strict();
export type PlanInput = z.input<typeof planInput>;

/** GET /storms/:storm_id/walk-list, `policy walk-list`, `policy.exportWalkList(...)`. */
export const walkListInput = z
  .object({
    storm_id: text(),
    format: z.enum(['csv', 'geojson'], { error: () => 'format must be csv or geojson' }).default('geojson'),
    territory: queryInt4().min(1).optional(),
  })
  .strict();
export type WalkListInput = z.input<typeof walkListInput>;

/** POST /knocks, `policy knock`, `policy.logKnock(...)`: a knock on a hold property is recorded and flagged. */
export const knockInput = z
  .object({
    storm_id: text(),
    property_id: z.uuid({ error: (i) => `${JSON.stringify(i.input)} is not a valid UUID` }),
    canvasser: canvasserName,
    result: z.enum(KNOCK_RESULTS, { error: () => `result must be one of ${KNOCK_RESULTS.join(', ')}` }),
    knocked_at: z.iso.datetime({ offset: true }).optional(),
    idempotency_key: text().trim().min(1).max(200).optional(),
  })
  .strict();
export type KnockInput = z.input<typeof knockInput>;

/** `policy.logKnocks(...)`: many knocks of one storm in one statement (imports, demos; in-process only). */
export interface LogKnocksInput {
  storm_id: string;
  knocks: {
    property_id: string;
    canvasser: string;
    result: (typeof KNOCK_RESULTS)[number];
    knocked_at: string;
    idempotency_key?: string;
  }[];
}
