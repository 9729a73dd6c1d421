/**
 * The `stormops` command's own speed (issue 16): built once at install (apps/server/build/build.mjs), it must answer
 * `stormops --help` in under 300 ms, and `stormops storm show` through a running server (the CLI as an HTTP client
 * of the server holding the data folder) in under 500 ms. Each figure is the median of several runs of a fresh
 * process, as a user types them; the TypeScript path (tsx, what every call cost before) is measured beside.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { NODE_FLAGS } from '../apps/server/bin/node-flags.mjs';
import type { BenchContext, BenchFigure } from './harness.ts';

const APP = resolve(import.meta.dirname, '../apps/server');
const BIN = resolve(APP, 'bin/stormops.mjs');
const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the CLI `RUNS` times (after one warm-up for the file cache) and returns the median wall time. */
function time(args: string[], env: Record<string, string>, entry = BIN): { ms: number; out: string } {
  const run = () => {
    const start = performance.now();
    const r = spawnSync(process.execPath, [...NODE_FLAGS, entry, ...args], { env: { ...process.env, ...env } });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`stormops ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
    return { ms, out: r.stdout.toString() };
  };
  const first = run();
  const ms = Array.from({ length: RUNS }, () => run().ms);
  return { ms: median(ms), out: first.out };
}

/** One run, for commands that change data. */
function once(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, BIN, ...args], { env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`stormops ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

export async function run(ctx: BenchContext): Promise<BenchFigure[]> {
  const built = spawnSync(process.execPath, [resolve(APP, 'build/build.mjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  ctx.log(built.stdout.trim());
  const env = { STORMOPS_DATA_DIR: resolve(ctx.tmpDir, 'data'), PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: '' };
  const help = time(['--help'], env);
  const tsxHelp = time(['--help'], env, resolve(import.meta.dirname, 'cli-from-source.mjs'));
  ctx.log(`--help: built ${help.ms.toFixed(0)} ms, from TypeScript ${tsxHelp.ms.toFixed(0)} ms`);

  const server = spawn(process.execPath, [...NODE_FLAGS, BIN, 'start', '--no-demo', '--json'], {
    env: { ...process.env, ...env, STORMOPS_SLO_EVALUATE_SECONDS: '0' },
  });
  try {
    const facts = await new Promise<{ url: string }>((ok, fail) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) ok(JSON.parse(line) as { url: string });
      });
      server.on('exit', (code) => fail(new Error(`server exited ${code}`)));
    });
    ctx.log(`server at ${facts.url}`);
    const tenant = JSON.parse(
      once(
        [
          'tenant',
          'provision',
          '--org',
          'Bench Roofing',
          '--tier',
          'standard',
          '--admin-email',
          'b@x.example',
          '--json',
        ],
        env,
      ),
    ) as { tenant_id: string };
    const storm = JSON.parse(
      once(['storm', 'create', '--tenant', tenant.tenant_id, '--event-id', 'BENCH', '--name', 'Bench', '--json'], env),
    ) as { storm_id: string };
    const show = time(['storm', 'show', '--storm', storm.storm_id], env);
    if (!show.out.includes(storm.storm_id)) throw new Error('storm show did not print the storm');
    ctx.log(`storm show through the server: ${show.ms.toFixed(0)} ms`);
    return [
      {
        name: 'stormops --help (built)',
        value: help.ms,
        unit: 'ms',
        target: { op: '<', value: 300 },
        notes: `median of ${RUNS} fresh processes; from TypeScript (tsx) it takes ${tsxHelp.ms.toFixed(0)} ms`,
      },
      { name: 'stormops --help from TypeScript (tsx, before the build)', value: tsxHelp.ms, unit: 'ms' },
      {
        name: 'stormops storm show through a running server',
        value: show.ms,
        unit: 'ms',
        target: { op: '<', value: 500 },
        notes: `median of ${RUNS}; the CLI finds the server in the data folder's lock and uses its HTTP API`,
      },
    ];
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}
