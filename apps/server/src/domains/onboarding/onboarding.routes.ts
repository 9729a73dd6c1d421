/** `POST /onboarding` (also under /v1): public self-serve signup, rate-limited per address. */
import { replies } from '../../http/responses.ts';
import { onboardingResult } from './onboarding.responses.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { depsFor, type SignInOptions } from '../users/sign-in.routes.ts';
import { intakeInput } from './onboarding.schema.ts';
import { submitOnboarding } from './onboarding.service.ts';

/** Signups one address may submit an hour (each provisions a tenant): docs/billing.md. */
export const ONBOARDING_PER_IP_PER_HOUR = 20;

export type OnboardingLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** One limiter shared by /onboarding and /v1/onboarding, so the two spellings do not double the allowance. */
export function onboardingLimit(app: FastifyInstance, perHour = ONBOARDING_PER_IP_PER_HOUR): OnboardingLimit {
  const check = app.createRateLimit({
    max: perHour,
    timeWindow: 3_600_000,
    keyGenerator: (req) => `onboarding:${req.ip}`,
  });
  return async (request, reply) => {
    const r = await check(request);
    if (r.isAllowed || !r.isExceeded) return;
    reply.header('retry-after', String(r.ttlInSeconds));
    throw new AppError('RATE_LIMITED', `too many signups from this address: try again in ${r.ttlInSeconds} s`, {
      limit: 'address',
      retry_after_seconds: r.ttlInSeconds,
    });
  };
}

export function registerOnboardingRoutes(
  root: FastifyInstance,
  db: Database,
  limit: OnboardingLimit,
  signIn?: SignInOptions,
): void {
  root.withTypeProvider<ZodTypeProvider>().post(
    '/onboarding',
    {
      config: { permission: 'public' },
      preHandler: limit,
      schema: {
        tags: ['onboarding'],
        summary:
          'Sign up: a trial tenant, the recommended plan, the plans compared, a first-year ROI projection and the admin’s set-password link (201; the same organization and e-mail again: 200)',
        body: intakeInput,
        response: replies({ 200: onboardingResult, 201: onboardingResult }),
      },
    },
    async (request, reply) => {
      const r = await submitOnboarding(db, request.body, {
        requestId: request.id,
        signIn: depsFor(request, signIn),
      });
      return reply.status(r.created ? 201 : 200).send(r);
    },
  );
}
