/** HTTP adapter for the model registry and scoring. Training over HTTP takes a past storm (files go through the CLI). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import * as service from './models.service.ts';
import {
  activeModelInput,
  listModelsInput,
  promoteModelInput,
  rollbackModelInput,
  scoreStormInput,
  trainStormInput,
} from './models.schema.ts';
import { scoreStorm } from './scoring.service.ts';
import { modelDetail, modelList, modelView, scoreResult, trainResult } from './models.responses.ts';
import { replies } from '../../http/responses.ts';

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
        body: trainStormInput,
        response: replies({ 201: trainResult }),
      },
    },
    async (request, reply) => reply.status(201).send(await service.trainModel(contextOf(request, db), request.body)),
  );
  app.get(
    '/models',
    {
      config: { permission: 'models:read' },
      schema: {
        tags,
        summary: 'List models',
        querystring: listModelsInput.pick({ tenant_id: true }),
        response: replies({ 200: modelList }),
      },
    },
    async (request) => ({ models: await service.listModels(contextOf(request, db), request.query) }),
  );
  app.get(
    '/models/active',
    {
      config: { permission: 'models:read' },
      schema: {
        tags,
        summary: 'The model in production (or shadow)',
        querystring: activeModelInput.omit({ name: true }),
        response: replies({ 200: modelView }),
      },
    },
    async (request) => service.getActiveModel(contextOf(request, db), request.query),
  );
  app.get(
    '/models/:model_id',
    {
      config: { permission: 'models:read' },
      schema: {
        tags,
        summary: 'A model with metrics and stage history',
        params: modelParams,
        response: replies({ 200: modelDetail }),
      },
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
        body: promoteModelInput.omit({ model_id: true }),
        response: replies({ 200: modelView }),
      },
    },
    async (request) => service.promoteModel(contextOf(request, db), { ...request.body, ...request.params }),
  );
  app.post(
    '/models/rollback',
    {
      config: { permission: 'models:promote' },
      schema: {
        tags,
        summary: 'Put back the previous production model',
        body: rollbackModelInput.omit({ name: true }),
        response: replies({ 200: modelView }),
      },
    },
    async (request) => service.rollbackModel(contextOf(request, db), request.body),
  );
  app.post(
    '/storms/:storm_id/score',
    {
      config: { permission: 'scoring:run' },
      schema: {
        tags,
        summary: "Score a storm's properties with the production (and shadow) model",
        params: scoreStormInput,
        response: replies({ 200: scoreResult }),
      },
    },
    async (request) => scoreStorm(contextOf(request, db), request.params),
  );
}
