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
import { MAX_BATCH, idempotencyKey } from './outcomes.schema.ts';
import { text, safeInt } from '../fields.ts';

const tags = ['outcomes'];
const outcomeBody = z.object({
  property_id: z.uuid(),
  converted: z.boolean(),
  value: z.number().optional().describe('job value in dollars (negative values are refused)'),
  value_cents: safeInt().optional(),
  idempotency_key: idempotencyKey.optional(),
});
const keyHeader = z.object({ 'idempotency-key': idempotencyKey.optional() });

type OutcomeBody = z.infer<typeof outcomeBody>;
const fields = (b: OutcomeBody) => ({
  propertyId: b.property_id,
  converted: b.converted,
  ...(b.value !== undefined ? { value: b.value } : {}),
  ...(b.value_cents !== undefined ? { valueCents: b.value_cents } : {}),
  ...(b.idempotency_key ? { idempotencyKey: b.idempotency_key } : {}),
});

function oneKey(header: string | undefined, body: string | undefined): string | undefined {
  if (header && body && header !== body)
    throw new AppError('VALIDATION', 'the Idempotency-Key header and idempotency_key field differ', {
      field: 'idempotency_key',
    });
  return header ?? body;
}

export function registerOutcomeRoutes(root: FastifyInstance, db: Database, csvLimit: number): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const ref = {
    storm_id: stormId.optional(),
    event_id: text().min(1).max(100).optional(),
    tenant_id: z.uuid().optional(),
  };

  app.post(
    '/outcomes',
    {
      config: { permission: 'outcomes:write' },
      schema: {
        tags,
        summary: 'Log one outcome (201 new, 200 replay of the same key and payload, 409 key reused)',
        headers: keyHeader,
        body: outcomeBody.extend(ref),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const key = oneKey(request.headers['idempotency-key'], b.idempotency_key);
      const o = await service.logOutcome(contextOf(request, db), {
        ...fields(b),
        ...(key ? { idempotencyKey: key } : {}),
        ...(b.storm_id ? { stormId: b.storm_id } : {}),
        ...(b.event_id ? { eventId: b.event_id } : {}),
        ...(b.tenant_id ? { tenantId: b.tenant_id } : {}),
      });
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
        body: z.object({
          ...ref,
          idempotency_key: idempotencyKey.optional(),
          outcomes: z.array(z.unknown()).max(MAX_BATCH),
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const key = oneKey(request.headers['idempotency-key'], b.idempotency_key);
      const rows = b.outcomes.map((o) => {
        const r = outcomeBody.safeParse(o);
        // Rows that do not even parse are passed on raw, so the service refuses them by row with the reason.
        return r.success ? fields(r.data) : (o as never);
      });
      return service.logOutcomes(contextOf(request, db), {
        outcomes: rows,
        ...(key ? { idempotencyKey: key } : {}),
        ...(b.storm_id ? { stormId: b.storm_id } : {}),
        ...(b.event_id ? { eventId: b.event_id } : {}),
        ...(b.tenant_id ? { tenantId: b.tenant_id } : {}),
      });
    },
  );

  app.get(
    '/properties/:property_id/outcomes',
    {
      config: { permission: 'outcomes:read' },
      schema: {
        tags,
        summary: "Every version of a property's outcome, oldest first",
        params: z.object({ property_id: z.uuid() }),
        querystring: z.object({ tenant_id: z.uuid().optional().describe('operator only: the tenant to look in') }),
      },
    },
    async (request) => ({
      outcomes: await service.outcomeHistory(contextOf(request, db), {
        propertyId: request.params.property_id,
        ...(request.query.tenant_id ? { tenantId: request.query.tenant_id } : {}),
      }),
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
            stormId: request.params.storm_id,
            text: limited,
            ...(key ? { idempotencyKey: key } : {}),
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
