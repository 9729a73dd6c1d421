/** HTTP adapter for the policy control plane: configs, apply (or shadow), runs, contamination. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import * as crew from './crew.service.ts';
import * as service from './policy.service.ts';
import { applyPolicyInput, configurePolicyInput, getPolicyInput, policyMode } from './policy.schema.ts';
import { knockInput, planInput, walkListInput } from './crew.schema.ts';
import { replies } from '../../http/responses.ts';
import {
  contamination,
  knock,
  policyConfig,
  policyRun,
  policyRuns,
  territoryPlan,
  walkListReplies,
} from './policy.responses.ts';

const params = z.object({ storm_id: stormId });
const tags = ['policy'];
const modeParams = z.object({ mode: policyMode });
/** Preview: apply's body without shadow (a preview is always one) and new_batch. */
const previewBody = applyPolicyInput.omit({ storm_id: true, shadow: true, new_batch: true });

export function registerPolicyRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/policies/:mode',
    {
      config: { permission: 'policy:read' },
      schema: {
        tags,
        summary: 'The latest (or ?version=) version of a policy mode with its capacity',
        params: modeParams,
        querystring: getPolicyInput.omit({ mode: true }),
        response: replies({ 200: policyConfig }),
      },
    },
    async (request) => service.getPolicy(contextOf(request, db), { ...request.query, ...request.params }),
  );

  app.put(
    '/policies/:mode',
    {
      config: { permission: 'policy:write' },
      schema: {
        tags,
        summary: 'Change parameters of a mode: a new version when anything differs',
        params: modeParams,
        body: configurePolicyInput.omit({ mode: true }),
        response: replies({ 200: policyConfig }),
      },
    },
    async (request) => service.configurePolicy(contextOf(request, db), { ...request.body, ...request.params }),
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
        body: applyPolicyInput.omit({ storm_id: true }),
        response: replies({ 200: policyRun }),
      },
    },
    async (request) => service.applyPolicy(contextOf(request, db), { ...request.body, ...request.params }),
  );

  app.post(
    '/storms/:storm_id/policy/preview',
    {
      config: { permission: 'policy:preview' },
      schema: {
        tags,
        summary: 'Preview a policy: a shadow run that records what it would pick and assigns no arms',
        params,
        body: previewBody,
        response: replies({ 200: policyRun }),
      },
    },
    async (request) =>
      service.applyPolicy(contextOf(request, db), { ...request.body, ...request.params, shadow: true }),
  );

  app.get(
    '/storms/:storm_id/policy/runs',
    {
      config: { permission: 'policy:read' },
      schema: { tags, summary: 'Policy runs of a storm, newest first', params, response: replies({ 200: policyRuns }) },
    },
    async (request) => ({
      runs: await service.listPolicyRuns(contextOf(request, db), request.params),
    }),
  );

  app.get(
    '/storms/:storm_id/contamination',
    {
      config: { permission: 'policy:read' },
      schema: {
        tags,
        summary: 'Hold properties knocked anyway (control contamination)',
        params,
        response: replies({ 200: contamination }),
      },
    },
    async (request) => service.getContamination(contextOf(request, db), request.params),
  );

  app.post(
    '/storms/:storm_id/territories',
    {
      config: { permission: 'territories:write' },
      schema: {
        tags,
        summary: 'Split the treat list among canvassers by geography and store each walking order',
        params,
        body: planInput.omit({ storm_id: true }),
        response: replies({ 200: territoryPlan }),
      },
    },
    async (request) => crew.planTerritories(contextOf(request, db), { ...request.body, ...request.params }),
  );

  app.get(
    '/storms/:storm_id/walk-list',
    {
      config: { permission: 'walklists:read' },
      schema: {
        tags,
        summary: 'Walk list in walking order: CSV (text/csv) or GeoJSON',
        params,
        querystring: walkListInput.omit({ storm_id: true }),
        response: replies(walkListReplies),
      },
    },
    async (request, reply) => {
      const out = await crew.exportWalkList(contextOf(request, db), { ...request.query, ...request.params });
      return request.query.format === 'csv'
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
        body: knockInput,
        response: replies({ 201: knock }),
      },
    },
    async (request, reply) => reply.status(201).send(await crew.logKnock(contextOf(request, db), request.body)),
  );
}
