/** The one HTTP error mapping: every failure leaves as `{ error: { code, message, details } }` with its status. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, fromDatabaseError } from '../errors.ts';

/** Fastify's own client errors (bad JSON, wrong content type, too large) keep their 4xx with a platform code. */
function fromFastifyError(err: FastifyError): AppError | undefined {
  const status = err.statusCode ?? 500;
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', err.message);
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', err.message);
  if (status >= 400 && status < 500)
    return new AppError('VALIDATION', err.message, err.code ? { fastify_code: err.code } : undefined);
  return undefined;
}

function fromValidation(err: unknown): AppError | undefined {
  if (!hasZodFastifySchemaValidationErrors(err)) return undefined;
  const issues = err.validation.map((v) => ({
    field: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
    message: v.message ?? 'invalid',
  }));
  const first = issues[0];
  return new AppError('VALIDATION', first ? `${first.field}: ${first.message}` : 'invalid request', { issues });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const mapped =
      (err instanceof AppError ? err : undefined) ??
      fromValidation(err) ??
      fromDatabaseError(err) ??
      fromFastifyError(err);
    if (mapped) {
      if (mapped.httpStatus >= 500) request.log.error({ err }, mapped.message);
      return reply.status(mapped.httpStatus).send(mapped.toBody());
    }
    request.log.error({ err }, 'unhandled error');
    const internal = new AppError('INTERNAL', `internal error; quote request id ${request.id} to support`);
    return reply.status(500).send(internal.toBody());
  });
}

/**
 * The 404 for unknown routes, after every route is registered. `fallback` (the web app's page for a browser's
 * navigation) answers first when it takes the request.
 */
export function installNotFound(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null,
): void {
  app.setNotFoundHandler((request, reply) => {
    const page = fallback?.(request, reply);
    if (page) return page;
    return reply
      .status(404)
      .send(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).toBody());
  });
}
