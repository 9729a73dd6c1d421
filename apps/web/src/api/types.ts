/**
 * The response types the pages read, all generated (schema.d.ts, from the routes' response schemas in
 * `<domain>.responses.ts`): named components, or a route's answer where the schema has no name.
 */
import type { components, paths } from './schema';

type S = components['schemas'];
/** The JSON body a route answers with `status`. */
export type Answer<
  P extends keyof paths,
  M extends 'get' | 'post' | 'patch' | 'delete',
  Status extends number = 200,
> = paths[P][M] extends { responses: Record<Status, { content: infer C }> }
  ? C extends { 'application/json': infer J }
    ? J
    : C extends { 'application/geo+json': infer G }
      ? G
      : never
  : never;

export type Storm = S['Storm'];
/** GET /v1/storms/{storm_id}/map: the counts and hail reports beside the map (the points: src/map/points.ts). */
export type StormMap = S['StormMap'];
export type WhoAmI = S['WhoAmI'];
export type OnboardingResult = S['OnboardingResult'];
export type BillingDashboard = S['BillingDashboard'];
export type Invoice = S['Invoice'];
export type CustomerHealth = S['CustomerHealth'];

export type ImportJob = S['ImportJob'];
export type PolicyRun = S['StoredPolicyRun'];
export type PolicyMode = PolicyRun['mode'];
export type TerritoryPlan = Answer<'/v1/storms/{storm_id}/territories', 'post'>;
export type WalkList = Answer<'/v1/storms/{storm_id}/walk-list', 'get'>;
export type StormHealth = S['StormHealth'];
export type PilotResults = S['PilotResults'];

export type ModelSummary = S['ModelVersion'];
export type ModelDetail = S['ModelDetail'];
export type SloStatus = S['SloStatus'];
export type AlertIncident = S['AlertIncident'];
export type TeamUser = S['User'];
export type Invitation = Answer<'/v1/users', 'get'>['invitations'][number];
export type InvitationResult = S['Invitation'];
export type Credential = S['Credential'];
export type AuditEvent = S['AuditEvent'];

export const POLICY_MODES: PolicyMode[] = ['conservative', 'moderate', 'aggressive', 'custom'];
