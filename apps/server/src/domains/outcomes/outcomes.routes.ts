/** HTTP adapter for outcomes: one (Idempotency-Key header or body field), a batch, a CSV import, a property's history. */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { contextOf } from '../../http/auth.ts';
import { byteLimit, checkDeclaredLength } from '../../lib/byte-limit.ts';
import { stormId } from '../storms/storms.schema.ts';
import * as service from './outcomes.service.ts';
import { idempotencyKey, logOutcomeInput, logOutcomesInput, outcomeHistoryInput } from './outcomes.schema.ts';

const tags = ['outcomes'];
const keyHeader = z.object({ 'idempotency-key': idempotencyKey.optional() });

function oneKey(header: string | undefined, body: string | undefined): string | undefined {
  if (header && body && header !== body)
    throw new AppError('VALIDATION', 'the Idempotency-Key header and idempotency_key field differ', {
      field: 'idempotency_key',
    });
  return header ?? body;
}

export function registerOutcomeRoutes(root: FastifyInstance, db: Database, csvLimit: number): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/outcomes',
    {
      config: { permission: 'outcomes:write' },
      schema: {
        tags,
        summary: 'Log one outcome (201 new, 200 replay of the same key and payload, 409 key reused)',
        headers: keyHeader,
        body: logOutcomeInput,
      },
    },
    async (request, reply) => {
      const key = oneKey(request.headers['idempotency-key'], request.body.idempotency_key);
      const o = await service.logOutcome(contextOf(request, db), { ...request.body, idempotency_key: key });
      return reply.status(o.replayed ? 200 : 201).send(o);
    },
  );

  app.post(
    '/outcomes/batch',
    {
      config: { permission: 'outcomes:write' },
      schema: {
        tags,
        summary: 'Log many outcomes of one storm; each row is accepted, replayed or refused with its reason',
        headers: keyHeader,
        body: logOutcomesInput,
      },
    },
    // Rows are checked by the service, one by one: a bad row is refused with its reason, the others written.
    async (request) =>
      service.logOutcomes(contextOf(request, db), {
        ...request.body,
        idempotency_key: oneKey(request.headers['idempotency-key'], request.body.idempotency_key),
      }),
  );

  app.get(
    '/properties/:property_id/outcomes',
    {
      config: { permission: 'outcomes:read' },
      schema: {
        tags,
        summary: "Every version of a property's outcome, oldest first",
        params: outcomeHistoryInput.pick({ property_id: true }),
        querystring: outcomeHistoryInput.omit({ property_id: true }),
      },
    },
    async (request) => ({
      outcomes: await service.outcomeHistory(contextOf(request, db), { ...request.query, ...request.params }),
    }),
  );

  // Own scope: the CSV body reaches the service as the request stream, read as it arrives and cut off at the limit.
  void root.register(async (scope) => {
    scope.addContentTypeParser('text/csv', (_r, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/storms/:storm_id/outcomes/import',
      {
        config: { permission: 'outcomes:write' },
        schema: {
          tags,
          summary:
            'Import outcomes from a CSV body (property_id, converted, value; at most STORMOPS_CSV_BODY_LIMIT_MB)',
          params: z.object({ storm_id: stormId }),
          headers: keyHeader,
        },
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof body.pipe !== 'function')
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the outcomes as a text/csv body');
        checkDeclaredLength(request.headers['content-length'], csvLimit);
        const key = request.headers['idempotency-key'];
        const limited = body.pipe(byteLimit(csvLimit));
        body.on('error', (err) => limited.destroy(err));
        try {
          return await service.importOutcomes(contextOf(request, db), {
            storm_id: request.params.storm_id,
            text: limited,
            idempotency_key: key,
          });
        } catch (err) {
          // Refused before or while reading: the rest of the body is not read, so the connection cannot be reused.
          if (!body.readableEnded) reply.header('connection', 'close');
          throw err;
        }
      },
    );
  });
}
