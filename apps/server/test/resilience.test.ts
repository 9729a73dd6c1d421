/**
 * Hostile input, run as an attacker would: a real server on loopback, requests over TCP (issue 13). Each attack here
 * worked on the code before the fix:
 * - an unauthenticated upload through a percent-encoded prefix (`/%76%31/...`) was answered 401 but stored on disk;
 *   uploads refused with 403/404 kept their file; there was no body limit;
 * - a junk outcomes CSV to any storm id froze the event loop for seconds (parsed whole before the storm check);
 * - a NUL character or an integer past int4 in any stored field was a 500;
 * - JSON Lines nested 100,000 levels ended the import as INTERNAL; rejected cells such as `=cmd|x!A1` came back
 *   unescaped in the errors CSV; on embedded, GET /v1/imports/{id} waited for the import to finish.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.ts';
import { createCredential } from '../src/domains/tenants/credentials.service.ts';
import { createStorm } from '../src/domains/storms/storms.service.ts';
import { PROPERTIES_CSV_HEADER, csvLine } from '../src/domains/demo/properties-csv.ts';
import { generateProperties } from '../src/domains/demo/generator.ts';
import { describeEachDatabase } from './databases.ts';
import { newTenant, operator } from './helpers.ts';

const UPLOAD_LIMIT = 24 * 1024 * 1024;
const CSV_LIMIT = 8 * 1024 * 1024;
const PLATFORM = `resilience-platform-${randomUUID()}`;

function propertiesCsv(count: number, seed: number, edit?: (line: string, i: number) => string): string {
  const lines = [PROPERTIES_CSV_HEADER];
  let i = 0;
  for (const p of generateProperties({ count, seed })) lines.push(edit ? edit(csvLine(p), i++) : csvLine(p));
  return lines.join('\n') + '\n';
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describeEachDatabase('resilience over loopback', (t) => {
  let app: FastifyInstance;
  let base: string;
  let uploadRoot: string;
  let admin: string;
  let viewer: string;
  let stormId: string;
  let otherStormId: string;
  let otherAdmin: string;

  beforeAll(async () => {
    uploadRoot = await mkdtemp(join(tmpdir(), 'stormops-resilience-'));
    app = await buildApp({
      db: t().db,
      platformToken: PLATFORM,
      limits: { upload: UPLOAD_LIMIT, csv: CSV_LIMIT },
      uploadRoot,
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    const a = await newTenant(t().db);
    const b = await newTenant(t().db);
    admin = a.token;
    otherAdmin = b.token;
    viewer = (
      await createCredential(operator(t().db), { tenant_id: a.tenantId, email: 'viewer@a.example', role: 'viewer' })
    ).token;
    stormId = (await createStorm(operator(t().db), { tenant_id: a.tenantId, event_id: 'RES_A', name: 'A' })).storm_id;
    otherStormId = (await createStorm(operator(t().db), { tenant_id: b.tenantId, event_id: 'RES_B', name: 'B' }))
      .storm_id;
  });
  afterAll(async () => {
    await app?.close();
    await rm(uploadRoot, { recursive: true, force: true });
  });

  async function send(
    method: string,
    path: string,
    opts: { token?: string; json?: unknown; body?: Buffer | string; type?: string } = {},
  ): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
    const headers: Record<string, string> = {};
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    let body: Buffer | string | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = 'application/json';
    }
    if (opts.type) headers['content-type'] = opts.type;
    const r = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await r.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (CSV)
    }
    return { status: r.status, text, json };
  }

  async function waitForImport(importId: string): Promise<Record<string, unknown>> {
    for (;;) {
      const r = await send('GET', `/v1/imports/${importId}`, { token: admin });
      if (r.json['status'] !== 'running') return r.json;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  it('stores nothing for an unauthenticated, forbidden or misdirected upload, whatever the path spelling', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 'a');
    const storm = randomUUID();
    for (const path of [
      `/%76%31/storms/${storm}/properties/import`,
      `/v%31/storms/${stormId}/properties/import`,
      `/v1/storms/${stormId}/properties/import`,
    ]) {
      const r = await send('POST', path, { body, type: 'text/csv' });
      expect(r.status, path).toBe(401);
    }
    expect((await send('POST', `/%76%31/storms/${stormId}`, { token: viewer })).status).not.toBe(500);
    const cases: Array<[string, string, number]> = [
      [viewer, stormId, 403], // no properties:write
      [admin, randomUUID(), 404], // no such storm
      [admin, otherStormId, 404], // another tenant's storm
    ];
    for (const [token, id, status] of cases) {
      const r = await send('POST', `/%76%31/storms/${id}/properties/import`, { token, body, type: 'text/csv' });
      expect(r.status).toBe(status);
    }
    expect(await filesUnder(uploadRoot)).toEqual([]);
  });

  it('refuses a body over the route limit with 413 and keeps no part of it; a finished job leaves no file', async () => {
    const big = Buffer.alloc(UPLOAD_LIMIT + 1024 * 1024, 'a');
    const declared = await send('POST', `/v1/storms/${stormId}/properties/import`, {
      token: admin,
      body: big,
      type: 'text/csv',
    });
    expect(declared.status).toBe(413);
    expect(declared.json['error']).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // Without a Content-Length (chunked): cut off while streaming.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 26; i++) c.enqueue(new Uint8Array(1024 * 1024).fill(97));
        c.close();
      },
    });
    const chunked = await fetch(`${base}/v1/storms/${stormId}/properties/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' }).then(
      (r) => r.status,
      () => 413, // the server may close the connection before the client has sent everything
    );
    expect(chunked).toBe(413);
    const ok = await send('POST', `/v1/storms/${stormId}/properties/import`, {
      token: admin,
      body: propertiesCsv(50, 3),
      type: 'text/csv',
    });
    expect(ok.status).toBe(202);
    expect(await waitForImport(String(ok.json['import_id']))).toMatchObject({ status: 'completed', inserted: 50 });
    await app.jobs.drain();
    expect(await filesUnder(uploadRoot)).toEqual([]);
  });

  it('checks the storm before reading an outcomes CSV, and reads a junk one without freezing the server', async () => {
    const junk = Buffer.from(
      Array.from({ length: 60_000 }, (_, i) => `${randomUUID()},maybe,${i},x\n`).join(''),
      'utf8',
    );
    const csv = Buffer.concat([Buffer.from('property_id,converted,value,junk\n'), junk]);
    const missing = await send('POST', `/v1/storms/${randomUUID()}/outcomes/import`, {
      token: admin,
      body: csv,
      type: 'text/csv',
    });
    expect(missing.status).toBe(404);
    const other = await send('POST', `/v1/storms/${otherStormId}/outcomes/import`, {
      token: admin,
      body: csv,
      type: 'text/csv',
    });
    expect(other.status).toBe(404);
    // A junk file to a real storm: every row refused by line, and the server answers probes meanwhile.
    let worst = 0;
    let probing = true;
    const probes = (async () => {
      while (probing) {
        const t0 = performance.now();
        await fetch(`${base}/healthz`).then((r) => r.text());
        worst = Math.max(worst, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const r = await send('POST', `/v1/storms/${stormId}/outcomes/import`, {
      token: admin,
      body: csv,
      type: 'text/csv',
    });
    probing = false;
    await probes;
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ received: 60_000, accepted: 0, refused_count: 60_000 });
    expect((r.json['refused'] as unknown[]).length).toBe(1000);
    // Liveness, not speed (bench/abuse.bench.ts measures that): before the fix a file like this froze every request.
    expect(worst).toBeLessThan(3000);
    const tooBig = await send('POST', `/v1/storms/${stormId}/outcomes/import`, {
      token: admin,
      body: Buffer.alloc(CSV_LIMIT + 1, 'a'),
      type: 'text/csv',
    });
    expect(tooBig.status).toBe(413);
  });

  it('answers 400 naming the field for NUL characters and integers past their column, never a 500', async () => {
    const attacks: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/v1/storms', { event_id: 'NUL_1', name: 'Hail\u0000Storm' }, /name/],
      ['POST', '/v1/storms', { event_id: 'NUL_2', name: 'ok', region: 'OK\u0000' }, /region/],
      ['POST', '/v1/storms', { event_id: 'NUL\u00003', name: 'ok' }, /event_id/],
      ['PUT', '/v1/mappings/nul', { mapping: { address: 'Street\u0000' } }, /mapping/],
      ['POST', `/v1/storms/${stormId}/policy/apply`, { mode: 'moderate', version: 99_999_999_999 }, /version/],
      ['GET', `/v1/storms/${stormId}/walk-list?format=csv&territory=2147483648`, undefined, /territory/],
      ['GET', `/v1/storms/${stormId}/properties?limit=99999999999`, undefined, /limit/],
    ];
    for (const [method, path, json, field] of attacks) {
      const r = await send(method, path, { token: admin, ...(json !== undefined ? { json } : {}) });
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(400);
      expect(JSON.stringify(r.json['error']), `${method} ${path}`).toMatch(field);
    }
    const org = await send('POST', '/v1/tenants', {
      token: PLATFORM,
      json: { org_name: 'Roof\u0000ing', tier: 'trial', admin_email: 'a@b.example' },
    });
    expect(org.status, org.text).toBe(400);
    expect(org.text).toMatch(/org_name/);
  });

  it('ends a deeply nested JSON Lines import with a row error, and escapes formula cells in the errors CSV', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const jsonl = `{"address":"1 Main St","city":"Moore","state":"OK","zip":"73160","x":${deep}}\n`;
    const r = await send('POST', `/v1/storms/${stormId}/properties/import?format=jsonl`, {
      token: admin,
      body: jsonl,
      type: 'application/x-ndjson',
    });
    expect(r.status).toBe(202);
    const job = await waitForImport(String(r.json['import_id']));
    expect(job).toMatchObject({ status: 'failed', error: { code: 'VALIDATION' } });
    expect(JSON.stringify(job['error'])).toMatch(/JSON_TOO_DEEP|nested deeper/);

    const csv = propertiesCsv(20, 5, (line, i) => (i === 3 ? line.replace(/,OK,/, ',=cmd|x!A1,') : line));
    const up = await send('POST', `/v1/storms/${stormId}/properties/import?skip_invalid=true`, {
      token: admin,
      body: csv,
      type: 'text/csv',
    });
    await waitForImport(String(up.json['import_id']));
    const errors = await send('GET', `/v1/imports/${String(up.json['import_id'])}/errors`, { token: admin });
    expect(errors.text).toContain("'=cmd|x!A1");
    expect(errors.text).not.toMatch(/(^|,)=cmd/m);
  });

  it('shows the progress of a running import without waiting for it', { timeout: 120_000 }, async () => {
    const storm = await send('POST', '/v1/storms', { token: admin, json: { event_id: 'RES_BIG', name: 'Big' } });
    const id = String(storm.json['storm_id']);
    const r = await send('POST', `/v1/storms/${id}/properties/import`, {
      token: admin,
      body: propertiesCsv(60_000, 9),
      type: 'text/csv',
    });
    expect(r.status).toBe(202);
    const t0 = performance.now();
    const first = await send('GET', `/v1/imports/${String(r.json['import_id'])}`, { token: admin });
    const answeredIn = performance.now() - t0;
    const done = await waitForImport(String(r.json['import_id']));
    expect(done).toMatchObject({ status: 'completed' });
    // Before the fix, on embedded, the first poll waited for the import and came back completed.
    expect(first.json).toMatchObject({ status: 'running' });
    expect(first.json['progress']).toBeDefined();
    expect(answeredIn).toBeLessThan(Number(done['elapsed_ms'] ?? 0) + 1000);
    // Another tenant polling the id learns nothing.
    expect((await send('GET', `/v1/imports/${String(r.json['import_id'])}`, { token: otherAdmin })).status).toBe(404);
  });
});
