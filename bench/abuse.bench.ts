/**
 * Abusive uploads beside /healthz probes (issue 13): a real `stormops start` in its own process (embedded database,
 * and server Postgres when a URL is given), one client posting hostile bodies while another probes /healthz every
 * 10 ms. The figure is the worst probe latency while each abuse runs (goal: below 100 ms; before the fix a 6 MB junk
 * outcomes CSV froze every request for about 11 s):
 * - a 6 MB and a 48 MB junk outcomes CSV to a real storm (read as it arrives, every row refused by line);
 * - the 6 MB file to a storm id that does not exist (refused before the body is read);
 * - a 20 MB unauthenticated property upload through `/%76%31/` (401, nothing stored);
 * - a 64 MB junk property upload by a tenant admin (streamed to disk, the job then fails on its header).
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../apps/server/test/server-process.ts';
import { createScratchDatabase } from '../apps/server/test/databases.ts';
import type { BenchContext, BenchFigure } from './harness.ts';

const GOAL_MS = 100;

function junkOutcomes(bytes: number): Buffer {
  const rows: string[] = ['property_id,converted,value,note'];
  let size = rows[0]!.length + 1;
  for (let i = 0; size < bytes; i++) {
    const line = `${randomUUID()},maybe,${i * 7},=junk ${i}`;
    rows.push(line);
    size += line.length + 1;
  }
  return Buffer.from(rows.join('\n') + '\n');
}

async function post(server: ServerProcess, path: string, token: string | undefined, body: unknown, type: string) {
  const r = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type },
    body: JSON.stringify(body),
  }).catch(() => undefined);
  return { status: r?.status ?? -1, json: r ? ((await r.json().catch(() => ({}))) as Record<string, unknown>) : {} };
}

/**
 * The abuse is sent by curl in a process of its own, so the probing client's event loop never carries the big body
 * and the probe latencies are the server's.
 */
function curlUpload(server: ServerProcess, path: string, token: string | undefined, file: string, type: string) {
  return new Promise<{ status: number }>((ok) => {
    const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '-H', `content-type: ${type}`];
    if (token) args.push('-H', `authorization: Bearer ${token}`);
    args.push('--data-binary', `@${file}`, `${server.url}${path}`);
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => ok({ status: Number(out) || -1 }));
  });
}

/** Runs `abuse` while probing /healthz; answers the worst and median probe latency and the abuse's status. */
async function beside(server: ServerProcess, abuse: () => Promise<{ status: number }>) {
  const latencies: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(`${server.url}/healthz`).then((r) => r.text());
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t0 = performance.now();
  const { status } = await abuse();
  const ms = performance.now() - t0;
  running = false;
  await probe;
  latencies.sort((a, b) => a - b);
  return {
    worst: latencies[latencies.length - 1] ?? 0,
    median: latencies[Math.floor(latencies.length / 2)] ?? 0,
    probes: latencies.length,
    status,
    ms,
  };
}

async function scenarios(
  server: ServerProcess,
  dir: string,
  log: (m: string) => void,
  label: string,
): Promise<BenchFigure[]> {
  const platform = server.platformToken;
  const tenant = await post(
    server,
    '/v1/tenants',
    platform,
    { org_name: `Abuse Roofing ${randomUUID()}`, tier: 'standard', admin_email: 'admin@abuse.example' },
    'application/json',
  );
  const token = String(tenant.json['admin_token']);
  const storm = await post(server, '/v1/storms', token, { event_id: 'ABUSE', name: 'Abuse' }, 'application/json');
  const stormId = String(storm.json['storm_id']);
  const six = join(dir, 'six.csv');
  const big = join(dir, 'big.csv');
  const twenty = join(dir, 'twenty.bin');
  const sixtyFour = join(dir, 'sixty-four.bin');
  await writeFile(six, junkOutcomes(6 * 1024 * 1024));
  await writeFile(big, junkOutcomes(48 * 1024 * 1024));
  await writeFile(twenty, Buffer.alloc(20 * 1024 * 1024, 97));
  await writeFile(sixtyFour, Buffer.alloc(64 * 1024 * 1024, 97));
  const cases: Array<[string, () => Promise<{ status: number }>]> = [
    [
      '6 MB junk outcomes CSV',
      () => curlUpload(server, `/v1/storms/${stormId}/outcomes/import`, token, six, 'text/csv'),
    ],
    [
      '48 MB junk outcomes CSV',
      () => curlUpload(server, `/v1/storms/${stormId}/outcomes/import`, token, big, 'text/csv'),
    ],
    [
      '6 MB junk outcomes CSV, unknown storm',
      () => curlUpload(server, `/v1/storms/${randomUUID()}/outcomes/import`, token, six, 'text/csv'),
    ],
    [
      '20 MB unauthenticated upload via /%76%31/',
      () => curlUpload(server, `/%76%31/storms/${randomUUID()}/properties/import`, undefined, twenty, 'text/csv'),
    ],
    [
      '64 MB junk property upload',
      () => curlUpload(server, `/v1/storms/${stormId}/properties/import`, token, sixtyFour, 'text/csv'),
    ],
  ];
  const figures: BenchFigure[] = [];
  let worstAll = 0;
  for (const [name, abuse] of cases) {
    const r = await beside(server, abuse);
    worstAll = Math.max(worstAll, r.worst);
    log(
      `${label} ${name}: answered ${r.status} in ${Math.round(r.ms)} ms; ${r.probes} probes, median ${r.median.toFixed(1)} ms, worst ${r.worst.toFixed(1)} ms`,
    );
    figures.push({
      name: `${label} worst /healthz probe during ${name}`,
      value: r.worst,
      unit: 'ms',
      notes: `answered ${r.status} in ${Math.round(r.ms)} ms; ${r.probes} probes, median ${r.median.toFixed(1)} ms`,
    });
  }
  figures.unshift({
    name: `${label} worst /healthz probe latency during abusive uploads`,
    value: worstAll,
    unit: 'ms',
    target: { op: '<', value: GOAL_MS },
  });
  return figures;
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const dataDir = join(ctx.tmpDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const embedded = await startServerProcess({ STORMOPS_DATA_DIR: dataDir }, ctx.tmpDir);
  try {
    figures.push(...(await scenarios(embedded, ctx.tmpDir, ctx.log, 'embedded:')));
  } finally {
    await embedded.stop();
  }
  if (ctx.databaseUrl) {
    const scratch = await createScratchDatabase(ctx.databaseUrl);
    const server = await startServerProcess({ DATABASE_URL: scratch.url }, ctx.tmpDir);
    try {
      figures.push(...(await scenarios(server, ctx.tmpDir, ctx.log, 'server Postgres:')));
    } finally {
      await server.stop();
      await scratch.drop();
    }
  }
  return figures;
}
