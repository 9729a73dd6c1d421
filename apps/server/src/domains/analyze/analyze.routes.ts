/**
 * `POST /v1/analyze`: the CSV is the body (text/csv, streamed, never buffered whole), the parameters are the
 * query string with the CLI's names in snake_case. Answers the same JSON as `stormops analyze --json`.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { contextOf } from '../../http/auth.ts';
import { byteLimit, checkDeclaredLength } from '../../lib/byte-limit.ts';
import type { Database } from '../../db/database.ts';
import { analyzeCsvStream } from './analyze.service.ts';
import { analyzeInput } from './analyze.schema.ts';

const CSV_TYPES = ['text/csv', 'application/csv'];

export function registerAnalyzeRoutes(root: FastifyInstance, db: Database, csvLimit: number): void {
  // Own scope: only this route takes a raw CSV body, passed on as the request stream.
  void root.register(async (scope) => {
    scope.addContentTypeParser(CSV_TYPES, (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/analyze',
      {
        config: { permission: 'analysis:run' },
        schema: {
          tags: ['analyze'],
          summary:
            'Lift, interval, p-value and SRM of a past two-arm campaign: send the CSV (one row per unit) as the text/csv body',
          querystring: analyzeInput,
        },
      },
      async (request) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function') {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `send the CSV as the body with content-type ${CSV_TYPES.join(' or ')}`,
          );
        }
        checkDeclaredLength(request.headers['content-length'], csvLimit);
        const limited = body.pipe(byteLimit(csvLimit));
        body.on('error', (err) => limited.destroy(err));
        return analyzeCsvStream(contextOf(request, db), limited, request.query);
      },
    );
  });
}
