/**
 * HTTP adapter for properties: streamed upload of a CSV / JSON Lines file into a storm, answered with a job to poll;
 * the job's status and rejected rows; a page of the storm's properties; saved column mappings.
 */
import { replies } from '../../http/responses.ts';
import { importJob, importStarted } from './properties.responses.ts';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { contextOf } from '../../http/auth.ts';
import type { JobRegistry } from '../../jobs/job-registry.ts';
import { checkDeclaredLength } from '../../lib/byte-limit.ts';
import type { UploadDir } from '../../lib/upload-dir.ts';
import { stormId } from '../storms/storms.schema.ts';
import { checkImportTarget, getImportJob, importErrorsCsv, startImportJob } from './import-jobs.service.ts';
import { listImports, listProperties, saveMapping } from './properties.service.ts';
import { importQuery, listPropertiesInput, mappingName, saveMappingInput } from './properties.schema.ts';

const UPLOAD_TYPES = [
  'text/csv',
  'text/tab-separated-values',
  'application/x-ndjson',
  'application/jsonl',
  'application/octet-stream',
];
const tags = ['properties'];
const params = z.object({ storm_id: stormId });
const importParams = z.object({ import_id: z.uuid() });

export function registerPropertyRoutes(
  root: FastifyInstance,
  db: Database,
  jobs: JobRegistry,
  upload: { uploads: UploadDir; limit: number },
): void {
  // Uploads get their own scope, so only these routes accept raw file bodies.
  void root.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_TYPES, (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/storms/:storm_id/properties/import',
      {
        config: { permission: 'properties:write' },
        schema: {
          tags,
          summary:
            'Upload a CSV or JSON Lines file of properties (streamed; at most STORMOPS_UPLOAD_LIMIT_MB); answers 202 with a job to poll at /v1/imports/{import_id}',
          params,
          querystring: importQuery,
          response: replies({ 202: importStarted }),
        },
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          throw new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            `send the file as the body with content-type ${UPLOAD_TYPES.slice(0, 3).join(', ')}`,
          );
        }
        // Nothing is stored before the caller (checked by the auth hook) and the storm are known and allowed.
        const ctx = contextOf(request, db);
        await checkImportTarget(ctx, request.params.storm_id);
        checkDeclaredLength(request.headers['content-length'], upload.limit);
        const path = await upload.uploads.receive(body, upload.limit).catch((err: unknown) => {
          reply.header('connection', 'close'); // the rest of an over-limit body is not read
          throw err;
        });
        // The query string names the file and says skip_invalid as text; everything else is the import's input.
        const { file_name, skip_invalid, ...q } = request.query;
        const job = await startImportJob(ctx, jobs, {
          ...q,
          storm_id: request.params.storm_id,
          source_name: file_name ?? 'upload',
          skip_invalid: skip_invalid === 'true',
          path,
        });
        return reply.status(202).header('location', `/v1/imports/${job.import_id}`).send(job);
      },
    );
  });

  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/imports/:import_id',
    {
      config: { permission: 'properties:read' },
      schema: {
        tags,
        summary: 'An import job: status, counts, live progress while running',
        params: importParams,
        response: replies({ 200: importJob }),
      },
    },
    async (request) => getImportJob(contextOf(request, db), jobs, request.params.import_id),
  );
  app.get(
    '/imports/:import_id/errors',
    {
      config: { permission: 'properties:read' },
      schema: { tags, summary: 'Rows an import rejected, as CSV', params: importParams },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .send(await importErrorsCsv(contextOf(request, db), request.params.import_id)),
  );
  app.get(
    '/storms/:storm_id/imports',
    { config: { permission: 'properties:read' }, schema: { tags, summary: "A storm's imports, newest first", params } },
    async (request) => ({
      imports: await listImports(contextOf(request, db), request.params),
    }),
  );
  app.get(
    '/storms/:storm_id/properties',
    {
      config: { permission: 'properties:read' },
      schema: {
        tags,
        summary: "A page of a storm's properties with exposure (keyset: pass next_after as after)",
        params,
        querystring: listPropertiesInput.omit({ storm_id: true }),
      },
    },
    async (request) => listProperties(contextOf(request, db), { ...request.query, ...request.params }),
  );
  app.put(
    '/mappings/:name',
    {
      config: { permission: 'properties:write' },
      schema: {
        tags,
        summary: 'Save a column mapping { field: header } under a name, for imports with ?mapping=NAME',
        params: z.object({ name: mappingName }),
        body: saveMappingInput.omit({ name: true }),
      },
    },
    async (request) => saveMapping(contextOf(request, db), { ...request.body, ...request.params }),
  );
}
