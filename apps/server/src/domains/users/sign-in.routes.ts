/**
 * HTTP adapter for signing in (docs/sign-in.md): JSON bodies, the session in an httpOnly SameSite=Lax cookie, the
 * CSRF token in the body for the page to send back in `x-csrf-token`. Login and reset requests are rate-limited per
 * account and per client address (@fastify/rate-limit; counters live in each server process).
 */
import { replies } from '../../http/responses.ts';
import { passwordReset, resetRequested, signedIn, signedOut, whoAmI } from './users.responses.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { contextOf } from '../../http/auth.ts';
import { NO_MAIL, type SignInDeps } from './mailer.ts';
import { SESSION_COOKIE, csrfFor, type NewSession } from './sessions.ts';
import * as service from './sign-in.service.ts';
import { acceptInviteInput, loginInput, requestResetInput, resetPasswordInput } from './users.schema.ts';

export interface SignInOptions {
  /** Mail and the public URL of links; without a mailer links are shown to the admin. */
  deps?: SignInDeps;
  /** Mark cookies Secure (HTTPS only): on in the prod profile. */
  secureCookies?: boolean;
  /** Attempts per window before 429: per account (e-mail) and per client address. */
  limits?: { perAccount?: number; perIp?: number; windowMs?: number };
}

/** Every attempt counts (a success too): 10 per account and 100 per address in 15 minutes. */
export const LOGIN_LIMITS = { perAccount: 10, perIp: 100, windowMs: 15 * 60_000 } as const;

const tags = ['sign-in'];

export function setSessionCookie(reply: FastifyReply, session: NewSession, opts: SignInOptions | undefined): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: opts?.secureCookies === true,
    path: '/',
    expires: new Date(session.expires_at),
  });
}

/** The public URL: configured, or the origin the request came to. */
export function publicUrlOf(request: FastifyRequest, opts: SignInOptions | undefined): string {
  return opts?.deps?.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Mail and links for one request. */
export function depsFor(request: FastifyRequest, opts: SignInOptions | undefined): SignInDeps {
  return { ...(opts?.deps ?? NO_MAIL), publicUrl: publicUrlOf(request, opts) };
}

/** The body a sign-in answers with: never the session token itself (it is in the cookie). */
export function signedInBody(s: service.SignedIn) {
  return { user: s.user, tenant: s.tenant, csrf_token: s.session.csrf_token, expires_at: s.session.expires_at };
}

/** A preHandler refusing with 429 RATE_LIMITED once an account or an address has used up its attempts. */
function limiter(app: FastifyInstance, opts: SignInOptions | undefined) {
  const l = { ...LOGIN_LIMITS, ...opts?.limits };
  const perAccount = app.createRateLimit({
    max: l.perAccount,
    timeWindow: l.windowMs,
    keyGenerator: (req) =>
      `account:${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
  });
  const perIp = app.createRateLimit({ max: l.perIp, timeWindow: l.windowMs, keyGenerator: (req) => `ip:${req.ip}` });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const checks = [
      ['account', await perAccount(request)],
      ['address', await perIp(request)],
    ] as const;
    for (const [which, r] of checks) {
      if (r.isAllowed || !r.isExceeded) continue;
      reply.header('retry-after', String(r.ttlInSeconds));
      throw new AppError(
        'RATE_LIMITED',
        `too many sign-in attempts for this ${which}: try again in ${r.ttlInSeconds} s`,
        { limit: which, retry_after_seconds: r.ttlInSeconds },
      );
    }
  };
}

export function registerSignInRoutes(root: FastifyInstance, db: Database, opts?: SignInOptions): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const limited = limiter(root, opts);

  app.post(
    '/auth/login',
    {
      config: { permission: 'public' },
      preHandler: limited,
      schema: {
        tags,
        summary:
          'Sign in with e-mail and password: sets the session cookie, answers the user and the CSRF token (rate-limited: 429)',
        body: loginInput,
        response: replies({ 200: signedIn }),
      },
    },
    async (request, reply) => {
      const s = await service.login(db, request.body);
      setSessionCookie(reply, s.session, opts);
      return signedInBody(s);
    },
  );

  app.post(
    '/auth/accept-invite',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Accept an invitation: choose a password, become a user with the invited role, signed in (once)',
        body: acceptInviteInput,
        response: replies({ 201: signedIn }),
      },
    },
    async (request, reply) => {
      const s = await service.acceptInvitation(db, request.body, request.id);
      setSessionCookie(reply, s.session, opts);
      return reply.status(201).send(signedInBody(s));
    },
  );

  app.post(
    '/auth/password-reset/request',
    {
      config: { permission: 'public' },
      preHandler: limited,
      schema: {
        tags,
        summary:
          'Forgot password: e-mails a one-time reset link (SMTP only); the same answer whether the e-mail exists',
        body: requestResetInput,
        response: replies({ 202: resetRequested }),
      },
    },
    async (request, reply) => {
      const r = await service.requestPasswordReset(db, request.body, depsFor(request, opts));
      return reply.status(202).send(r);
    },
  );

  app.post(
    '/auth/password-reset',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "Set a new password from a reset link (once); the user's sessions end",
        body: resetPasswordInput,
        response: replies({ 200: passwordReset }),
      },
    },
    async (request) => service.resetPassword(db, request.body, request.id),
  );

  app.get(
    '/auth/session',
    {
      config: { permission: 'account:self' },
      schema: {
        tags,
        summary: 'Who is signed in (session or credential), with the CSRF token of a session',
        response: replies({ 200: whoAmI }),
      },
    },
    async (request) => {
      const me = service.whoAmI(contextOf(request, db));
      const cookie = request.cookies[SESSION_COOKIE];
      return { ...me, ...(me.via === 'session' && cookie ? { csrf_token: csrfFor(cookie) } : {}) };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'account:self' },
      schema: {
        tags,
        summary: 'Sign out: the session ends and its cookie is cleared (needs x-csrf-token)',
        response: replies({ 200: signedOut }),
      },
    },
    async (request, reply) => {
      const r = await service.logout(contextOf(request, db));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return r;
    },
  );
}
