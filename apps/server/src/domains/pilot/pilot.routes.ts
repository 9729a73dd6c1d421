/** HTTP adapter for the pilot report: JSON results, or the rendered report in Markdown, HTML or PDF. */
import { replies } from '../../http/responses.ts';
import { pilotReplies } from './pilot.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import { PILOT_FORMATS, PILOT_MEDIA } from './pilot.render.ts';
import { renderPilotReport, runPilot } from './pilot.service.ts';
import { pilotFeedbackInput, recordPilotFeedback } from './pilot-feedback.service.ts';

export function registerPilotRoutes(root: FastifyInstance, db: Database): void {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/storms/:storm_id/pilot',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['pilot'],
        summary: 'The pilot report of a storm: lift, ROI, SRM, contamination, uplift accuracy, success criteria',
        params: z.object({ storm_id: stormId }),
        querystring: z.object({
          format: z.enum(PILOT_FORMATS).default('json'),
          mode: z.enum(['conservative', 'moderate', 'aggressive', 'custom']).optional(),
          alpha: z.coerce.number().gt(0).lt(0.5).optional(),
        }),
        response: replies(pilotReplies),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const results = await runPilot(contextOf(request, db), {
        stormId: request.params.storm_id,
        format: q.format,
        ...(q.mode ? { policyMode: q.mode } : {}),
        ...(q.alpha !== undefined ? { alpha: q.alpha } : {}),
      });
      if (q.format === 'json') return results;
      const media = PILOT_MEDIA[q.format];
      return reply
        .type(media.type)
        .header('content-disposition', `inline; filename="pilot-${request.params.storm_id}.${media.ext}"`)
        .send(await renderPilotReport(results, q.format));
    },
  );
  root.withTypeProvider<ZodTypeProvider>().post(
    '/storms/:storm_id/pilot/feedback',
    {
      config: { permission: 'feedback:write' },
      schema: {
        tags: ['pilot'],
        summary: "Record the contractor's satisfaction with the pilot (1-10); the report's criterion reads the latest",
        params: z.object({ storm_id: stormId }),
        body: pilotFeedbackInput,
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordPilotFeedback(contextOf(request, db), request.params.storm_id, request.body)),
  );
}
