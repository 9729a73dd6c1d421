/** HTTP adapter for NOAA storm reports: a small SPC CSV as the body, imported with exposure updated. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { contextOf } from '../../http/auth.ts';
import { stormId } from '../storms/storms.schema.ts';
import { recomputeExposure, importStormReports } from './storm-reports.service.ts';
import { exposureOptions, reportFileOptions } from './storm-reports.schema.ts';

const tags = ['storm reports'];
const params = z.object({ storm_id: stormId });

/**
 * An SPC daily report file is small (a busy day is about a thousand reports, ~150 KB) and is parsed whole: a few MB
 * at most, so a junk body cannot hold the event loop for long.
 */
export const REPORTS_BODY_LIMIT = 2 * 1024 * 1024;

export function registerStormReportRoutes(root: FastifyInstance, db: Database, csvLimit: number): void {
  void root.register(async (scope) => {
    const bodyLimit = Math.min(csvLimit, REPORTS_BODY_LIMIT);
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_r, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/storms/:storm_id/reports',
      {
        config: { permission: 'properties:write' },
        schema: {
          tags,
          summary: "Import an SPC daily report file (text/csv body) and update every property's exposure",
          params,
          querystring: reportFileOptions,
        },
      },
      async (request) => {
        if (typeof request.body !== 'string')
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the SPC file as a text/csv body');
        return importStormReports(contextOf(request, db), {
          ...request.query,
          storm_id: request.params.storm_id,
          text: request.body,
        });
      },
    );
  });
  root.withTypeProvider<ZodTypeProvider>().post(
    '/storms/:storm_id/exposure',
    {
      config: { permission: 'properties:write' },
      schema: {
        tags,
        summary: 'Recompute exposure with a radius',
        params,
        body: exposureOptions,
      },
    },
    async (request) =>
      recomputeExposure(contextOf(request, db), { ...request.body, storm_id: request.params.storm_id }),
  );
}
