/**
 * Unknown keys are refused, never ignored: every route's body and query string object schema is made strict when
 * the route is registered (a 400 names the key: `body: Unrecognized key: "dry_run"`). Nested objects are strict at
 * their definitions; `looseObjects` finds any that are not (a test walks every route with it).
 */
import type { FastifyInstance } from 'fastify';

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string } };
  strict?: () => ZodLike;
}

function isZod(value: unknown): value is ZodLike {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function strictTop(schema: unknown): unknown {
  if (!isZod(schema) || schema._zod.def.type !== 'object' || !schema.strict) return schema;
  return isStrict(schema) ? schema : schema.strict();
}

function isStrict(schema: ZodLike): boolean {
  const catchall = schema._zod.def['catchall'];
  return isZod(catchall) && catchall._zod.def.type === 'never';
}

export interface RouteInputs {
  method: string;
  url: string;
  body: unknown;
  querystring: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's input schemas as registered (tests walk them). */
    routeInputs: RouteInputs[];
  }
}

export function installStrictInputs(app: FastifyInstance): void {
  const routes: RouteInputs[] = [];
  app.decorate('routeInputs', routes);
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (schema)
      for (const part of ['body', 'querystring', 'params'] as const)
        if (schema[part] !== undefined) schema[part] = strictTop(schema[part]);
    for (const method of [route.method].flat())
      routes.push({
        method: String(method),
        url: route.url,
        body: schema?.['body'],
        querystring: schema?.['querystring'],
      });
  });
}

/** Paths of object schemas inside `schema` that would silently drop unknown keys. */
export function looseObjects(schema: unknown, path = '', seen = new Set<unknown>()): string[] {
  if (!isZod(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def;
  const out: string[] = [];
  const walk = (child: unknown, p: string) => out.push(...looseObjects(child, p, seen));
  switch (def.type) {
    case 'object': {
      if (!isStrict(schema)) out.push(path || '(root)');
      const shape = (def['shape'] ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(shape)) walk(v, path ? `${path}.${k}` : k);
      break;
    }
    case 'array':
      walk(def['element'], `${path}[]`);
      break;
    case 'union':
      for (const o of (def['options'] ?? []) as unknown[]) walk(o, path);
      break;
    case 'pipe':
      walk(def['in'], path);
      break;
    case 'record':
      walk(def['valueType'], `${path}.*`);
      break;
    case 'intersection':
      walk(def['left'], path);
      walk(def['right'], path);
      break;
    default:
      if (def['innerType']) walk(def['innerType'], path);
  }
  return out;
}
