/** HTTP adapter for the model registry and scoring. Training over HTTP takes a past storm (files go through the CLI). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import * as service from './models.service.ts';
import { STAGES } from './models.schema.ts';
import { scoreStorm } from './scoring.service.ts';
import { LEARNERS } from './training.ts';
import { text, int4 } from '../fields.ts';

const tags = ['models'];
const modelParams = z.object({ model_id: z.uuid() });

export function registerModelRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/models/train',
    {
      config: { permission: 'models:write' },
      schema: {
        tags,
        summary: "Train an uplift model from a past storm's arms and outcomes; it lands in staging",
        body: z.object({
          storm_id: stormId,
          learner: z.enum(LEARNERS).optional(),
          features: z.array(text().min(1)).min(1).optional(),
          seed: int4().min(0).optional(),
          holdout_share: z.number().min(0.1).max(0.5).optional(),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const model = await service.trainModel(contextOf(request, db), {
        stormId: b.storm_id,
        ...(b.learner ? { learner: b.learner } : {}),
        ...(b.features ? { features: b.features } : {}),
        ...(b.seed !== undefined ? { seed: b.seed } : {}),
        ...(b.holdout_share !== undefined ? { holdoutShare: b.holdout_share } : {}),
      });
      return reply.status(201).send(model);
    },
  );
  app.get(
    '/models',
    {
      config: { permission: 'models:read' },
      schema: { tags, summary: 'List models', querystring: z.object({ tenant_id: z.uuid().optional() }) },
    },
    async (request) => ({
      models: await service.listModels(
        contextOf(request, db),
        request.query.tenant_id ? { tenantId: request.query.tenant_id } : {},
      ),
    }),
  );
  app.get(
    '/models/active',
    {
      config: { permission: 'models:read' },
      schema: {
        tags,
        summary: 'The model in production (or shadow)',
        querystring: z.object({ tenant_id: z.uuid().optional(), stage: z.enum(['production', 'shadow']).optional() }),
      },
    },
    async (request) =>
      service.getActiveModel(contextOf(request, db), {
        ...(request.query.tenant_id ? { tenantId: request.query.tenant_id } : {}),
        ...(request.query.stage ? { stage: request.query.stage } : {}),
      }),
  );
  app.get(
    '/models/:model_id',
    {
      config: { permission: 'models:read' },
      schema: { tags, summary: 'A model with metrics and stage history', params: modelParams },
    },
    async (request) => service.getModel(contextOf(request, db), request.params.model_id),
  );
  app.post(
    '/models/:model_id/stage',
    {
      config: { permission: 'models:promote' },
      schema: {
        tags,
        summary: 'Promote a model to a stage (audited)',
        params: modelParams,
        body: z.object({ stage: z.enum(STAGES), reason: text().max(500).optional() }),
      },
    },
    async (request) =>
      service.promoteModel(contextOf(request, db), {
        modelId: request.params.model_id,
        stage: request.body.stage,
        ...(request.body.reason ? { reason: request.body.reason } : {}),
      }),
  );
  app.post(
    '/models/rollback',
    {
      config: { permission: 'models:promote' },
      schema: {
        tags,
        summary: 'Put back the previous production model',
        body: z.object({ tenant_id: z.uuid().optional(), reason: text().max(500).optional() }),
      },
    },
    async (request) =>
      service.rollbackModel(contextOf(request, db), {
        ...(request.body.tenant_id ? { tenantId: request.body.tenant_id } : {}),
        ...(request.body.reason ? { reason: request.body.reason } : {}),
      }),
  );
  app.post(
    '/storms/:storm_id/score',
    {
      config: { permission: 'scoring:run' },
      schema: {
        tags,
        summary: "Score a storm's properties with the production (and shadow) model",
        params: z.object({ storm_id: stormId }),
      },
    },
    async (request) => scoreStorm(contextOf(request, db), { stormId: request.params.storm_id }),
  );
}
