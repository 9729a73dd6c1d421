/**
 * Serves the web app (apps/web, built by `npm run build:web` at install) at `/` beside the API. Files come from the
 * build folder; any other GET that a browser navigates to (Accept: text/html) outside the API's paths answers the
 * app's index.html, so client-side routes such as /storms/ID or /onboarding load on refresh. API paths never get the
 * app: an unknown /v1 route stays a JSON 404, and POST /onboarding stays the API.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths the API owns: the SPA fallback never answers under them. */
export const API_PREFIXES = ['/v1', '/billing', '/openapi.json', '/docs', '/healthz', '/readyz', '/metrics'] as const;

/** The web app's build folder (apps/web/dist), found through the workspace package; undefined when not built. */
export function defaultWebRoot(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@stormops/web/package.json');
    const dist = join(dirname(pkg), 'dist');
    return existsSync(join(dist, 'index.html')) ? dist : undefined;
  } catch {
    return undefined;
  }
}

export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

/** True for a browser's page navigation that the app should answer. */
export function wantsApp(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (isApiPath(request.url)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Registers the build's files and returns the fallback for the not-found handler (null when there is no build: the
 * API then runs alone and `GET /` says how to build the app).
 */
export async function installWebApp(
  app: FastifyInstance,
  root: string | undefined,
): Promise<((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | null> {
  if (!root) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built: run `npm run build:web` (npm install does it), then restart.\n'),
    );
    return null;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Files are listed once at start (the build is done by then): no catch-all route that could shadow the API.
    wildcard: false,
    index: ['index.html'],
    // Our setHeaders decides caching; @fastify/send's own Cache-Control (max-age=0) would otherwise win.
    cacheControl: false,
    setHeaders: (res, path) => {
      // Vite names assets by content hash: they never change under one name.
      if (path.includes('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });
  return (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', root);
}
