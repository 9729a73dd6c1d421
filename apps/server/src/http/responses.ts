/**
 * Response schemas: the one error body, the map a route declares (`replies`), the serializer, and the check that
 * every answer matches its route's schema.
 *
 * Answers are serialized with plain JSON.stringify, never through the schema: a schema that misses a property must
 * not drop it silently. Instead, in tests (`checkResponses`, on under Vitest) every JSON answer of a route that
 * declares responses is parsed against the schema of its status, strictly (response objects are `z.strictObject`:
 * an undeclared property fails like a missing one), and a mismatch replaces the answer with a loud 500
 * `RESPONSE_SCHEMA` naming the differences, so the route's own tests fail when a schema drifts from what is sent.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** `{ error: { code, message, details? } }`: every failure's body (errors.ts), one OpenAPI component. */
export const errorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error', description: "A failure: the platform's error code, a message, and details when known" });

/** A route's response map: its success bodies by status, and the error body for every 4xx and 5xx. */
export function replies<T extends Record<number, unknown>>(
  ok: T,
): T & { '4xx': typeof errorBody; '5xx': typeof errorBody } {
  return { ...ok, '4xx': errorBody, '5xx': errorBody };
}

/** A timestamp as sent: JSON.stringify of a Date or a driver's ISO string. */
export const isoTime = z.string();
/** A timestamp a service holds as a Date (or a driver's string): JSON carries it as an ISO string. */
export const sentTime = z.union([z.string(), z.date()]);
/** A calendar date as sent (YYYY-MM-DD). */
export const isoDate = z.string();

/**
 * The OpenAPI document's components: the response schemas given an id (`.meta({ id })`). The provider also writes
 * an input variant (`<id>Input`) of each, which nothing references (they are never request bodies): left out.
 */
export function responseComponents(
  document: Parameters<typeof jsonSchemaTransformObject>[0],
): ReturnType<typeof jsonSchemaTransformObject> {
  const doc = jsonSchemaTransformObject(document) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (schemas)
    for (const name of Object.keys(schemas))
      if (name.endsWith('Input') && schemas[name.slice(0, -'Input'.length)]) delete schemas[name];
  return doc as ReturnType<typeof jsonSchemaTransformObject>;
}

/** Serializes every answer with JSON.stringify: the schema documents and is checked in tests, it never filters. */
export function jsonSerializerCompiler(): (data: unknown) => string {
  return (data) => JSON.stringify(data);
}

/** The schema a route declares for `status` and the answer's content type: undefined when it declares none. */
function schemaFor(request: FastifyRequest, status: number, contentType: string): z.ZodType | undefined | null {
  const response = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)?.response;
  if (!response) return undefined;
  const found = response[String(status)] ?? response[`${String(status)[0]}xx`] ?? response.default;
  if (found instanceof z.ZodType) return found;
  const content = (found as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
  const schema = content?.[contentType.split(';')[0]!.trim()]?.schema;
  return schema instanceof z.ZodType ? schema : null;
}

function isJson(contentType: unknown): boolean {
  return typeof contentType === 'string' && /^application\/([\w.+-]*\+)?json/.test(contentType);
}

/**
 * The test-time check (see above). Routes that declare no responses are not checked; a route that declares some
 * must declare every status it answers.
 */
export function installResponseCheck(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const contentType = reply.getHeader('content-type');
    if (!isJson(contentType)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const schema = schemaFor(request, reply.statusCode, String(contentType));
    if (schema === undefined) return payload;
    const text = payload.toString();
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    let problem: unknown;
    if (schema === null) problem = `no response schema for status ${reply.statusCode}`;
    else {
      const checked = schema.safeParse(text === '' ? undefined : JSON.parse(text));
      if (!checked.success) problem = z.treeifyError(checked.error);
    }
    if (problem === undefined) return payload;
    const message = `response of ${route} (${reply.statusCode}) does not match its schema`;
    console.error(message, JSON.stringify(problem, null, 1), text.slice(0, 2000));
    request.log.error({ problem }, message);
    reply.status(500);
    return JSON.stringify({ error: { code: 'RESPONSE_SCHEMA', message, details: { problem } } });
  });
}
