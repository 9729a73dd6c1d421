/** HTTP adapter for the pilot report: JSON results, or the rendered report in Markdown, HTML or PDF. */
import { replies } from '../../http/responses.ts';
import { pilotReplies } from './pilot.responses.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import { PILOT_MEDIA } from './pilot.render.ts';
import { pilotOptions } from './pilot.schema.ts';
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
        querystring: pilotOptions,
        response: replies(pilotReplies),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const results = await runPilot(contextOf(request, db), { ...q, storm_id: request.params.storm_id });
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
