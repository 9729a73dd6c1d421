/** Response schemas of the policy and canvassing routes (policy.routes.ts). */
import { z } from 'zod';
import { isoTime } from '../../http/responses.ts';
import { POLICY_MODES, policyParams } from './policy.schema.ts';

const mode = z.enum(POLICY_MODES);

export const policyConfig = z.strictObject({
  tenant_id: z.uuid(),
  mode,
  version: z.number().int(),
  params: policyParams.strict(),
  capacity: z.number().int(),
  /** Null for a mode's built-in version 1. */
  created_at: isoTime.nullable(),
});

export const contamination = z.strictObject({
  storm_id: z.uuid(),
  hold: z.number().int(),
  hold_knocked: z.number().int(),
  contamination_knocks: z.number().int(),
  contamination_rate: z.number(),
  property_ids: z.array(z.uuid()),
});

export const detectableLift = z
  .strictObject({
    pts: z.number().nullable(),
    power: z.number(),
    alpha: z.number(),
    base_rate: z.number(),
    base_rate_source: z.enum(['planning', 'observed']),
    underpowered: z.boolean(),
  })
  .meta({ id: 'DetectableLift' });

export const policyRun = z
  .strictObject({
    run_id: z.uuid(),
    storm_id: z.uuid(),
    mode,
    policy_version: z.number().int(),
    batch: z.number().int(),
    seed: z.number(),
    shadow: z.boolean(),
    properties: z.number().int(),
    treat: z.number().int(),
    hold: z.number().int(),
    excluded: z.number().int(),
    unscored: z.number().int(),
    newly_assigned: z.number().int(),
    treat_pct: z.number(),
    hold_pct: z.number(),
    capacity: z.number().int(),
    capacity_used: z.number().int(),
    capacity_used_pct: z.number(),
    expected_incremental_conversions: z.number(),
    expected_incremental_revenue_cents: z.number(),
    expected_incremental_revenue: z.number(),
    expected_incremental_profit_cents: z.number(),
    detectable_lift: detectableLift,
    contamination,
    warnings: z.array(z.string()),
    created_at: isoTime,
  })
  .meta({ id: 'PolicyRun' });

/** A listed run: as stored, without the storm's live contamination. */
export const storedPolicyRun = policyRun.omit({ contamination: true }).meta({ id: 'StoredPolicyRun' });
export const policyRuns = z.strictObject({ runs: z.array(storedPolicyRun) });

export const territoryPlan = z.strictObject({
  storm_id: z.uuid(),
  treat: z.number().int(),
  unlocated: z.number().int(),
  territories: z.array(
    z.strictObject({
      territory: z.number().int(),
      canvasser: z.string(),
      doors: z.number().int(),
      route_km: z.number(),
      /** [west, south, east, north]; null for a territory without doors. */
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
    }),
  ),
});

/** The GeoJSON walk list: the doors in walking order. */
export const walkList = z.strictObject({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.strictObject({
      type: z.literal('Feature'),
      geometry: z.strictObject({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.strictObject({
        territory: z.number().int(),
        canvasser: z.string(),
        walk_seq: z.number().int(),
        property_id: z.uuid(),
        address: z.string(),
        zip: z.string().nullable(),
      }),
    }),
  ),
});

export const walkListReplies = {
  200: {
    description: 'The walk list as GeoJSON (format=geojson) or CSV (format=csv)',
    content: { 'application/geo+json': { schema: walkList }, 'text/csv': { schema: z.string() } },
  },
};

export const knock = z.strictObject({
  knock_id: z.uuid(),
  storm_id: z.uuid(),
  property_id: z.uuid(),
  canvasser: z.string(),
  result: z.string(),
  knocked_at: isoTime,
  /** treat, hold or excluded; null when the property is in no arm. */
  arm: z.string().nullable(),
  contaminated: z.boolean(),
  idempotency_key: z.string().nullable(),
  recorded_at: isoTime,
  warning: z.string().nullable(),
  contamination,
});
