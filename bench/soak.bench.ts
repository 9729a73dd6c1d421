/**
 * Load and soak: many tenants running storms at once against server Postgres over loopback, through two API
 * processes sharing the database (bench/api-server.ts), for a bounded time (STORMOPS_SOAK_SECONDS, default 60).
 * Each virtual contractor loops: create a storm, upload a property file and poll its import to the end, page
 * through the storm's properties, list its storms. Reports throughput, p50/p99 latency, errors, both processes'
 * resident memory over time (from their /metrics), and checks afterwards that every acknowledged write is in the
 * database: each storm answered 201 exists under its tenant, each completed import left exactly its rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { newTenant } from '../apps/server/test/helpers.ts';
import { historyCsv } from '../apps/server/src/domains/demo/properties-csv.ts';
import type { BenchContext, BenchFigure } from './harness.ts';
import { onScratchServer } from './scratch.ts';

const SECONDS = Number(process.env['STORMOPS_SOAK_SECONDS'] ?? 60);
const TENANTS = Number(process.env['STORMOPS_SOAK_TENANTS'] ?? 24);
const ROWS_PER_IMPORT = 300;

interface Api {
  url: string;
  child: ChildProcess;
}

function startApi(url: string): Promise<Api> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'api-server.ts'), url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child });
    });
    child.once('exit', (code) => fail(new Error(`api server exited ${code}`)));
  });
}

interface Acked {
  tenantId: string;
  stormId: string;
  /** Rows the import reported inserted (undefined when the import was not acknowledged as completed). */
  inserted?: number;
}

class Recorder {
  latencies: number[] = [];
  /** Per step ('create storm', 'upload', ...), to say where the time goes. */
  byStep = new Map<string, number[]>();
  /** Upload accepted to import completed, per import. */
  importMs: number[] = [];
  errors = 0;
  firstError: string | undefined;
  async call(
    step: string,
    url: string,
    init: RequestInit,
    expect: number,
  ): Promise<Record<string, unknown> | undefined> {
    const started = performance.now();
    try {
      const res = await fetch(url, init);
      const body = (await res.json()) as Record<string, unknown>;
      const ms = performance.now() - started;
      this.latencies.push(ms);
      const list = this.byStep.get(step) ?? [];
      list.push(ms);
      this.byStep.set(step, list);
      if (res.status !== expect) {
        this.errors++;
        this.firstError ??= `${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`;
        return undefined;
      }
      return body;
    } catch (err) {
      this.errors++;
      this.firstError ??= `${url}: ${(err as Error).message}`;
      return undefined;
    }
  }
}

async function contractor(
  api: Api,
  token: string,
  tenantId: string,
  vu: number,
  until: number,
  rec: Recorder,
  acked: Acked[],
) {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  for (let i = 0; performance.now() < until; i++) {
    const storm = await rec.call(
      'create storm',
      `${api.url}/v1/storms`,
      { method: 'POST', headers: json, body: JSON.stringify({ event_id: `SOAK_${vu}_${i}`, name: `soak ${vu}/${i}` }) },
      201,
    );
    if (!storm) continue;
    const ack: Acked = { tenantId, stormId: String(storm['storm_id']) };
    acked.push(ack);
    const job = await rec.call(
      'upload properties',
      `${api.url}/v1/storms/${ack.stormId}/properties/import`,
      {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: historyCsv(ROWS_PER_IMPORT, vu * 100_000 + i),
      },
      202,
    );
    if (!job) continue;
    const accepted = performance.now();
    for (;;) {
      const s = await rec.call(
        'poll import',
        `${api.url}/v1/imports/${String(job['import_id'])}`,
        { headers: auth },
        200,
      );
      if (!s || s['status'] === 'failed' || s['status'] === 'interrupted') break;
      if (s['status'] === 'completed') {
        ack.inserted = Number(s['inserted']);
        rec.importMs.push(performance.now() - accepted);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await rec.call(
      'list properties',
      `${api.url}/v1/storms/${ack.stormId}/properties?limit=100`,
      { headers: auth },
      200,
    );
    await rec.call('list storms', `${api.url}/v1/storms?limit=20`, { headers: auth }, 200);
  }
}

async function rss(api: Api): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('process_resident_memory_bytes '));
  return line ? Number(line.split(' ')[1]) / 1e6 : NaN;
}

/** Acknowledged writes missing from the database: storms absent (or under another tenant), imports short of rows. */
async function lost(url: string, acked: Acked[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const storms = await c.query<{ storm_id: string; tenant_id: string }>('select storm_id, tenant_id from storm');
    const owner = new Map(storms.rows.map((r) => [r.storm_id, r.tenant_id]));
    const counts = await c.query<{ storm_id: string; n: string }>(
      'select storm_id, count(*) as n from property group by storm_id',
    );
    const rows = new Map(counts.rows.map((r) => [r.storm_id, Number(r.n)]));
    return acked.filter(
      (a) =>
        owner.get(a.stormId) !== a.tenantId || (a.inserted !== undefined && (rows.get(a.stormId) ?? 0) !== a.inserted),
    ).length;
  } finally {
    await c.end();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) : 0;
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  return onScratchServer(ctx, async (db, url) => {
    const apis = [await startApi(url), await startApi(url)];
    try {
      const tenants = [];
      for (let i = 0; i < TENANTS; i++) tenants.push(await newTenant(db));
      const rec = new Recorder();
      const acked: Acked[] = [];
      const memory: { at_s: number; rss_mb: number[] }[] = [];
      const started = performance.now();
      const until = started + SECONDS * 1000;
      const sampler = setInterval(() => {
        void Promise.all(apis.map(rss)).then((m) =>
          memory.push({ at_s: Math.round((performance.now() - started) / 1000), rss_mb: m.map((x) => Math.round(x)) }),
        );
      }, 5000);
      ctx.log(`${TENANTS} tenants, 2 API processes, ${SECONDS} s`);
      await Promise.all(
        tenants.map((t, vu) => contractor(apis[vu % apis.length]!, t.token, t.tenantId, vu, until, rec, acked)),
      );
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      const sorted = [...rec.latencies].sort((a, b) => a - b);
      const missing = await lost(url, acked);
      const imports = acked.filter((a) => a.inserted !== undefined);
      for (const [step, ms] of rec.byStep) {
        const st = [...ms].sort((a, b) => a - b);
        ctx.log(
          `${step}: ${st.length} calls, p50 ${percentile(st, 0.5).toFixed(0)} ms, p99 ${percentile(st, 0.99).toFixed(0)} ms`,
        );
      }
      const imp = [...rec.importMs].sort((a, b) => a - b);
      ctx.log(
        `import accepted -> completed: p50 ${percentile(imp, 0.5).toFixed(0)} ms, p99 ${percentile(imp, 0.99).toFixed(0)} ms`,
      );
      for (const m of memory) ctx.log(`t=${m.at_s}s rss ${m.rss_mb.join(' / ')} MB`);
      if (rec.firstError) ctx.log(`first error: ${rec.firstError}`);
      const first = memory[0]?.rss_mb ?? [];
      const last = memory[memory.length - 1]?.rss_mb ?? [];
      const growth = Math.max(...last.map((v, i) => v - (first[i] ?? v)), 0);
      const notes = `${TENANTS} tenants over 2 API processes on one server Postgres, ${Math.round(seconds)} s`;
      return [
        { name: 'requests per second', value: sorted.length / seconds, unit: 'req/s', notes },
        { name: 'latency p50', value: percentile(sorted, 0.5), unit: 'ms' },
        { name: 'latency p99', value: percentile(sorted, 0.99), unit: 'ms' },
        { name: 'storms created', value: acked.length, unit: 'storms' },
        { name: 'imports completed', value: imports.length, unit: 'imports', notes: `${ROWS_PER_IMPORT} rows each` },
        { name: 'import accepted to completed p50', value: percentile(imp, 0.5), unit: 'ms' },
        ...[...rec.byStep].map(([step, ms]) => {
          const st = [...ms].sort((a, b) => a - b);
          return {
            name: `${step} p50`,
            value: percentile(st, 0.5),
            unit: 'ms',
            notes: `p99 ${percentile(st, 0.99).toFixed(0)} ms over ${st.length} calls`,
          };
        }),
        {
          name: 'errors',
          value: rec.errors,
          unit: 'responses',
          target: { op: '<=', value: 0 },
          ...(rec.firstError ? { notes: rec.firstError } : {}),
        },
        { name: 'acknowledged writes lost', value: missing, unit: 'writes', target: { op: '<=', value: 0 } },
        {
          name: 'API process RSS at end (max of 2)',
          value: Math.max(...last),
          unit: 'MB',
          notes: JSON.stringify(memory),
        },
        { name: 'API process RSS growth first to last sample', value: growth, unit: 'MB' },
      ];
    } finally {
      // Stopped before the scratch database is dropped under them.
      await Promise.all(apis.map((a) => new Promise((r) => (a.child.once('exit', r), a.child.kill('SIGTERM')))));
    }
  });
}
