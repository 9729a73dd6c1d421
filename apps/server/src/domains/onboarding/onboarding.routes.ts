/** `POST /onboarding` (also under /v1): public self-serve signup. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { intakeInput } from './onboarding.schema.ts';
import { submitOnboarding } from './onboarding.service.ts';

export function registerOnboardingRoutes(root: FastifyInstance, db: Database): void {
  root.withTypeProvider<ZodTypeProvider>().post(
    '/onboarding',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['onboarding'],
        summary:
          'Sign up: a trial tenant, the recommended plan, the plans compared and a first-year ROI projection (201; the same organization and e-mail again: 200)',
        body: intakeInput,
      },
    },
    async (request, reply) => {
      const r = await submitOnboarding(db, request.body, { requestId: request.id });
      return reply.status(r.created ? 201 : 200).send(r);
    },
  );
}
