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

/** The routes the web app calls (apps/web/src), but the storm map's: each must declare its success answer. */
const WEB_ROUTES: [string, string][] = [
  ['get', '/v1/auth/session'],
  ['post', '/v1/auth/login'],
  ['post', '/v1/auth/logout'],
  ['post', '/v1/auth/accept-invite'],
  ['post', '/v1/auth/password-reset'],
  ['post', '/v1/auth/password-reset/request'],
  ['get', '/v1/storms'],
  ['get', '/v1/storms/{storm_id}'],
  ['get', '/v1/storms/{storm_id}/walk-list'],
  ['post', '/v1/storms/{storm_id}/territories'],
  ['get', '/v1/storms/{storm_id}/pilot'],
  ['get', '/v1/storms/{storm_id}/policy/runs'],
  ['post', '/v1/storms/{storm_id}/policy/preview'],
  ['post', '/v1/storms/{storm_id}/policy/apply'],
  ['get', '/v1/storms/{storm_id}/health'],
  ['get', '/v1/imports/{import_id}'],
  ['get', '/billing/plans'],
  ['get', '/billing/usage'],
  ['post', '/onboarding'],
  ['get', '/v1/billing/dashboard'],
  ['get', '/v1/billing/invoices'],
  ['get', '/v1/users'],
  ['patch', '/v1/users/{user_id}'],
  ['post', '/v1/users/invitations'],
  ['get', '/v1/tenants/{tenant_id}/credentials'],
  ['delete', '/v1/tenants/{tenant_id}/credentials/{token_id}'],
  ['get', '/v1/audit'],
  ['get', '/v1/slo/status'],
  ['get', '/v1/slo/alerts'],
  ['get', '/v1/models'],
  ['get', '/v1/models/{model_id}'],
  ['post', '/v1/models/{model_id}/stage'],
  ['post', '/v1/models/rollback'],
];

describe('OpenAPI document', () => {
  it('declares the answers of every route the web app calls, errors as the one Error component', async () => {
    const { openApiDocument } = await import('../../../../scripts/web-api-types.ts');
    const doc = (await openApiDocument()) as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const missing: string[] = [];
    for (const [method, path] of WEB_ROUTES) {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      const ok = Object.keys(responses).filter((s) => s.startsWith('2') && responses[s]?.content);
      if (ok.length === 0) missing.push(`${method.toUpperCase()} ${path}`);
      expect(JSON.stringify(responses['4XX'] ?? null)).toContain('#/components/schemas/Error');
    }
    expect(missing).toEqual([]);
  });
});
