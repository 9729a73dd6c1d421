import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installErrorHandling } from './errors.ts';
import { installResponseCheck, jsonSerializerCompiler, replies } from './responses.ts';
import { AppError } from '../errors.ts';

const thing = z.strictObject({ id: z.string(), count: z.number().int(), note: z.string().nullable() });

/** A bare app with the response check and one route sending whatever the test hands it. */
async function appSending(body: () => unknown, check = true): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);
  if (check) installResponseCheck(app);
  installErrorHandling(app);
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/thing', { schema: { response: replies({ 200: thing }) } }, async () => body() as z.output<typeof thing>);
  app.get('/undeclared', async () => ({ anything: true }));
  await app.ready();
  return app;
}

describe('response check', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  it('passes an answer that matches its schema, unchanged', async () => {
    app = await appSending(() => ({ id: 'a', count: 2, note: null }));
    const r = await app.inject('/thing');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id: 'a', count: 2, note: null });
  });

  it('fails loudly on a property the schema does not declare, a missing one, or a wrong type', async () => {
    for (const sent of [
      { id: 'a', count: 2, note: null, extra: 1 },
      { id: 'a', count: 2 },
      { id: 'a', count: 2.5, note: null },
    ]) {
      app = await appSending(() => sent);
      const r = await app.inject('/thing');
      expect(r.statusCode).toBe(500);
      expect(r.json().error.code).toBe('RESPONSE_SCHEMA');
      expect(r.json().error.message).toContain('GET /thing (200)');
      await app.close();
    }
    app = undefined;
  });

  it('checks errors against the one error body, and leaves routes without response schemas alone', async () => {
    app = await appSending(() => {
      throw new AppError('NOT_FOUND', 'no such thing');
    });
    const r = await app.inject('/thing');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such thing' } });
    expect((await app.inject('/undeclared')).json()).toEqual({ anything: true });
  });

  it('without the check, serializes with JSON.stringify: nothing is dropped', async () => {
    app = await appSending(() => ({ id: 'a', count: 2, note: null, extra: 1 }), false);
    const r = await app.inject('/thing');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ id: 'a', count: 2, note: null, extra: 1 });
  });
});
