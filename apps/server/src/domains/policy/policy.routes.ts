/** HTTP adapter for the policy control plane: configs, apply (or shadow), runs, contamination. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import * as crew from './crew.service.ts';
import * as service from './policy.service.ts';
import { policyMode, policyParams } from './policy.schema.ts';
import { text, int4, queryInt4 } from '../fields.ts';

const params = z.object({ storm_id: stormId });
const tags = ['policy'];
const applyBody = z
  .object({
    mode: policyMode.default('moderate'),
    version: int4().min(1).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .strict();

export function registerPolicyRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/policies/:mode',
    {
      config: { permission: 'policy:read' },
      schema: {
        tags,
        summary: 'The latest (or ?version=) version of a policy mode with its capacity',
        params: z.object({ mode: policyMode }),
        querystring: z.object({ tenant_id: z.uuid().optional(), version: queryInt4().min(1).optional() }),
      },
    },
    async (request) =>
      service.getPolicy(contextOf(request, db), {
        mode: request.params.mode,
        ...(request.query.tenant_id ? { tenantId: request.query.tenant_id } : {}),
        ...(request.query.version ? { version: request.query.version } : {}),
      }),
  );

  app.put(
    '/policies/:mode',
    {
      config: { permission: 'policy:write' },
      schema: {
        tags,
        summary: 'Change parameters of a mode: a new version when anything differs',
        params: z.object({ mode: policyMode }),
        body: z.object({ tenant_id: z.uuid().optional(), params: policyParams.partial() }),
      },
    },
    async (request) =>
      service.configurePolicy(contextOf(request, db), {
        mode: request.params.mode,
        params: request.body.params,
        ...(request.body.tenant_id ? { tenantId: request.body.tenant_id } : {}),
      }),
  );

  app.post(
    '/storms/:storm_id/policy/apply',
    {
      config: { permission: 'policy:apply' },
      schema: {
        tags,
        summary:
          'Apply a policy: pick properties within capacity, randomize a stratified hold group (shadow: record only)',
        params,
        body: applyBody
          .extend({
            shadow: z.boolean().default(false),
            new_batch: z
              .boolean()
              .default(false)
              .describe('assign with another mode or version on a storm that has arms, as a new numbered batch'),
          })
          .strict(),
      },
    },
    async (request) => {
      const b = request.body;
      return service.applyPolicy(contextOf(request, db), {
        stormId: request.params.storm_id,
        mode: b.mode,
        shadow: b.shadow,
        new_batch: b.new_batch,
        ...(b.version ? { version: b.version } : {}),
        ...(b.seed !== undefined ? { seed: b.seed } : {}),
      });
    },
  );

  app.post(
    '/storms/:storm_id/policy/preview',
    {
      config: { permission: 'policy:preview' },
      schema: {
        tags,
        summary: 'Preview a policy: a shadow run that records what it would pick and assigns no arms',
        params,
        body: applyBody,
      },
    },
    async (request) => {
      const b = request.body;
      return service.applyPolicy(contextOf(request, db), {
        stormId: request.params.storm_id,
        mode: b.mode,
        shadow: true,
        ...(b.version ? { version: b.version } : {}),
        ...(b.seed !== undefined ? { seed: b.seed } : {}),
      });
    },
  );

  app.get(
    '/storms/:storm_id/policy/runs',
    {
      config: { permission: 'policy:read' },
      schema: { tags, summary: 'Policy runs of a storm, newest first', params },
    },
    async (request) => ({
      runs: await service.listPolicyRuns(contextOf(request, db), { stormId: request.params.storm_id }),
    }),
  );

  app.get(
    '/storms/:storm_id/contamination',
    {
      config: { permission: 'policy:read' },
      schema: { tags, summary: 'Hold properties knocked anyway (control contamination)', params },
    },
    async (request) => service.getContamination(contextOf(request, db), { stormId: request.params.storm_id }),
  );

  app.post(
    '/storms/:storm_id/territories',
    {
      config: { permission: 'territories:write' },
      schema: {
        tags,
        summary: 'Split the treat list among canvassers by geography and store each walking order',
        params,
        body: z.object({
          canvassers: z.union([z.array(text().min(1).max(100)).min(1).max(1000), int4().min(1).max(1000)]),
        }),
      },
    },
    async (request) =>
      crew.planTerritories(contextOf(request, db), {
        stormId: request.params.storm_id,
        canvassers: request.body.canvassers,
      }),
  );

  app.get(
    '/storms/:storm_id/walk-list',
    {
      config: { permission: 'walklists:read' },
      schema: {
        tags,
        summary: 'Walk list in walking order: CSV (text/csv) or GeoJSON',
        params,
        querystring: z.object({
          format: z.enum(['csv', 'geojson']).default('geojson'),
          territory: queryInt4().min(1).optional(),
        }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const out = await crew.exportWalkList(contextOf(request, db), {
        stormId: request.params.storm_id,
        format: q.format,
        ...(q.territory ? { territory: q.territory } : {}),
      });
      return q.format === 'csv'
        ? reply.type('text/csv; charset=utf-8').send(out)
        : reply.type('application/geo+json').send(JSON.stringify(out));
    },
  );

  app.post(
    '/knocks',
    {
      config: { permission: 'knocks:write' },
      schema: {
        tags,
        summary: 'Log a knock (a knock on a hold property is recorded and flagged as contamination)',
        body: z.object({
          storm_id: z.uuid(),
          property_id: z.uuid(),
          canvasser: text().min(1).max(100),
          result: z.enum(crew.KNOCK_RESULTS),
          knocked_at: z.iso.datetime({ offset: true }).optional(),
          idempotency_key: text().min(1).max(200).optional(),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const k = await crew.logKnock(contextOf(request, db), {
        stormId: b.storm_id,
        propertyId: b.property_id,
        canvasser: b.canvasser,
        result: b.result,
        ...(b.knocked_at ? { knockedAt: b.knocked_at } : {}),
        ...(b.idempotency_key ? { idempotencyKey: b.idempotency_key } : {}),
      });
      return reply.status(201).send(k);
    },
  );
}
