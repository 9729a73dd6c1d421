/**
 * Idempotent reads survive one lost database connection: a GET whose handler failed on a connection error (the
 * server restarted, an administrator terminated the backend, a pooled connection died) runs once more on a fresh
 * connection before the caller sees a 503. Writes are never retried here: the caller retries them with its
 * idempotency key.
 */
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { isConnectionError } from '../errors.ts';

const RETRY_DELAY_MS = 50;

export function installReadRetry(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map(String);
    if (!methods.every((m) => m === 'GET' || m === 'HEAD')) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function retryOnce(this: FastifyInstance, request, reply) {
      try {
        return await handler.call(this, request, reply);
      } catch (err) {
        if (!isConnectionError(err) || reply.sent) throw err;
        request.log.warn({ err }, 'database connection lost during a read; retrying once');
        // A moment for the pool to see its other connections' ends (a terminated backend usually takes its siblings).
        await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
        return handler.call(this, request, reply);
      }
    } as RouteHandlerMethod;
  });
}
