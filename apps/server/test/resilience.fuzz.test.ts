/**
 * A bounded fuzz of every operation in /openapi.json over loopback: each gets requests whose path parameters, query
 * parameters and JSON body properties are hostile values (NUL characters, numbers past every column's range, long
 * strings, wrong types, deep nesting), as the operator and as a tenant admin. No answer may be a 5xx, and the server
 * must still serve (healthz, readyz, a real read) afterwards. Seeded, so a failure replays.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createStorm } from '../src/domains/storms/storms.service.ts';
import { describeEachDatabase } from './databases.ts';
import { newTenant, operator } from './helpers.ts';

const PLATFORM = `fuzz-platform-${randomUUID()}`;
const SEED = 1313;
const PER_OPERATION = 10;

function deep(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const HOSTILE: unknown[] = [
  '\u0000',
  'ok\u0000ok',
  2_147_483_648,
  99_999_999_999,
  -2_147_483_649,
  1e308,
  -1e308,
  0.5,
  'x'.repeat(70_000),
  '',
  ' ',
  '%00',
  "'; drop table storm; --",
  '../../etc/passwd',
  '=cmd|x!A1',
  true,
  null,
  [],
  {},
  [1, 'a', null],
  { nested: { deeper: ['\u0000'] } },
  deep(2_000),
  '9999-99-99',
  '1e400',
  'NaN',
];

/** Values for a query string or a path segment (strings only on the wire). */
const HOSTILE_TEXT = [
  '%00',
  'a%00b',
  '2147483648',
  '99999999999',
  '-1',
  '1e308',
  'x'.repeat(5_000),
  '',
  '%FF%FE',
  "'%3B%20drop",
  'true',
  '[]',
  '00000000-0000-0000-0000-000000000000',
  'ZZZZZZZZ-0000-0000-0000-000000000000',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Operation {
  method: string;
  path: string;
  params: Array<{ in: string; name: string }>;
  bodyProps: string[] | undefined;
}

describeEachDatabase('fuzz of every operation', (t) => {
  let app: FastifyInstance;
  let base: string;
  let uploadRoot: string;
  let admin: string;
  let stormId: string;
  let tenantId: string;

  beforeAll(async () => {
    uploadRoot = await mkdtemp(join(tmpdir(), 'stormops-fuzz-'));
    app = await buildApp({ db: t().db, platformToken: PLATFORM, uploadRoot });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const a = await newTenant(t().db);
    admin = a.token;
    tenantId = a.tenantId;
    stormId = (await createStorm(operator(t().db), { tenant_id: tenantId, event_id: 'FUZZ', name: 'Fuzz' })).storm_id;
  });
  afterAll(async () => {
    await app?.close();
    await rm(uploadRoot, { recursive: true, force: true });
  });

  it('answers every hostile request below 500 and keeps serving', { timeout: 120_000 }, async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const ops: Operation[] = [];
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods)) {
        const body = (op['requestBody'] as { content?: Record<string, { schema?: { properties?: object } }> })
          ?.content?.['application/json']?.schema;
        ops.push({
          method: method.toUpperCase(),
          path,
          params: ((op['parameters'] as Array<{ in: string; name: string }>) ?? []).filter(
            (p) => p.in === 'path' || p.in === 'query',
          ),
          bodyProps: body?.properties ? Object.keys(body.properties) : undefined,
        });
      }
    expect(ops.length).toBeGreaterThan(40);

    const random = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (let i = 0; i < PER_OPERATION; i++) {
        // Path parameters: the real storm and tenant half the time, so the request reaches the service.
        let url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          if (random() < 0.5) return name === 'tenant_id' ? tenantId : stormId;
          return encodeURIComponent(pick(HOSTILE_TEXT)).replace(/%25/g, '%');
        });
        const query = op.params
          .filter((p) => p.in === 'query' && random() < 0.7)
          .map((p) => `${p.name}=${pick(HOSTILE_TEXT)}`);
        if (query.length) url += `?${query.join('&')}`;
        const headers: Record<string, string> = {
          authorization: `Bearer ${random() < 0.5 ? PLATFORM : admin}`,
        };
        let body: string | undefined;
        if (op.method !== 'GET' && op.method !== 'DELETE') {
          headers['content-type'] = 'application/json';
          const payload: Record<string, unknown> = {};
          for (const prop of op.bodyProps ?? []) if (random() < 0.8) payload[prop] = pick(HOSTILE);
          body = random() < 0.1 ? JSON.stringify(pick(HOSTILE)) : JSON.stringify(payload);
        }
        const r = await fetch(`${base}${url}`, { method: op.method, headers, ...(body ? { body } : {}) });
        const text = await r.text();
        sent++;
        if (r.status >= 500) failures.push(`${op.method} ${url.slice(0, 200)} -> ${r.status} ${text.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBe(ops.length * PER_OPERATION);
    await app.jobs.drain();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const storms = await fetch(`${base}/v1/storms`, { headers: { authorization: `Bearer ${admin}` } });
    expect(storms.status).toBe(200);
  });
});
