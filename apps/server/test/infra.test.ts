/**
 * The deployment files checked without a Docker engine: the compose file parses for both profiles (Debian's
 * docker-compose), every variable the compose file and profiles give the stormops service is one the config accepts,
 * the SLO rules are what the generator writes and pass their promtool unit tests, and every metric a Grafana panel or
 * a Prometheus rule queries is exported by a live server's /metrics.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../src/config.ts';
import { renderSloRules } from '../../../scripts/slo-rules.ts';
import { promqlMetricNames } from './promql-names.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const has = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const COMPOSE = has('docker-compose');
const PROMTOOL = has('promtool');
const noCompose = COMPOSE ? '' : ' [skipped: docker-compose not installed]';
const noPromtool = PROMTOOL ? '' : ' [skipped: promtool not installed]';
if (!COMPOSE)
  console.warn('infra.test: docker-compose not installed (apt-get install docker-compose): compose checks skipped');
if (!PROMTOOL) console.warn('infra.test: promtool not installed (apt-get install prometheus): rule unit tests skipped');

/** Variables of a profile file (KEY=value lines; comments and blanks skipped). */
async function profileVariables(name: string): Promise<Record<string, string>> {
  const text = await readFile(join(ROOT, 'infra/profiles', `${name}.env`), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

interface ComposeService {
  profiles?: string[];
  environment?: Record<string, string | null>;
}

/** `docker-compose --profile <p> config` with STORMOPS_PROFILE=<p> and no .env: the file as compose resolves it. */
async function composeConfig(profile: string): Promise<Record<string, ComposeService>> {
  const dir = await mkdtemp(join(tmpdir(), 'stormops-compose-'));
  try {
    await writeFile(join(dir, 'empty.env'), '');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STORMOPS_')));
    const out = execFileSync(
      'docker-compose',
      [
        '--project-directory',
        ROOT,
        '-f',
        join(ROOT, 'docker-compose.yml'),
        '--env-file',
        join(dir, 'empty.env'),
        '--profile',
        profile,
        'config',
      ],
      { env: { ...env, STORMOPS_PROFILE: profile }, encoding: 'utf8' },
    );
    return (parse(out) as { services: Record<string, ComposeService> }).services;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('deployment profiles', () => {
  it.skipIf(!COMPOSE)(
    `docker-compose parses both profiles; dev runs StormOps and Postgres, prod adds the telemetry stack${noCompose}`,
    async () => {
      for (const profile of ['dev', 'prod']) {
        const r = spawnSync(
          'docker-compose',
          ['-f', join(ROOT, 'docker-compose.yml'), '--profile', profile, 'config', '-q'],
          {
            cwd: ROOT,
            encoding: 'utf8',
          },
        );
        expect(r.stderr, `docker-compose --profile ${profile} config`).toBe('');
        expect(r.status).toBe(0);
      }
      const services = await composeConfig('prod');
      const inProfile = (p: string) =>
        Object.keys(services)
          .filter((s) => services[s]?.profiles?.includes(p))
          .sort();
      expect(inProfile('dev')).toEqual(['postgres', 'stormops']);
      expect(inProfile('prod')).toEqual(['grafana', 'otel-collector', 'postgres', 'prometheus', 'stormops']);
    },
  );

  it.skipIf(!COMPOSE)(
    `gives the stormops service only variables the config accepts, in both profiles${noCompose}`,
    async () => {
      for (const profile of ['dev', 'prod']) {
        const env = (await composeConfig(profile))['stormops']?.environment ?? {};
        // The postgres and Grafana images read their own variables from the same profile file.
        const ours = Object.keys(env).filter((k) => !/^(POSTGRES_|GF_)/.test(k));
        expect(ours.length).toBeGreaterThan(3);
        expect(
          ours.filter((k) => !CONFIG_VARIABLES.includes(k)),
          `${profile}: variables the config does not accept`,
        ).toEqual([]);
        expect(env['STORMOPS_PROFILE']).toBe(profile);
      }
    },
  );

  it('has profile files whose variables the config accepts and parses, or another service reads', async () => {
    const compose = await readFile(join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const profile of ['dev', 'prod'] as const) {
      const vars = await profileVariables(profile);
      const others = Object.keys(vars).filter((k) => !CONFIG_VARIABLES.includes(k));
      expect(
        others.filter((k) => !/^(POSTGRES_|GF_)/.test(k)),
        `${profile}.env`,
      ).toEqual([]);
      if (others.some((k) => k.startsWith('GF_')))
        expect(compose).toMatch(/grafana:[\s\S]*env_file: \[infra\/profiles\/prod\.env\]/);
      const config = loadConfig({ ...vars, DATABASE_URL: 'postgres://stormops@postgres:5432/stormops' }, ROOT);
      expect(config.profile).toBe(profile);
    }
  });
});

describe('Prometheus rules', () => {
  it('are what the generator writes from slos.json', async () => {
    const committed = await readFile(join(ROOT, 'infra/prometheus/slo-rules.yml'), 'utf8');
    expect(committed, 'infra/prometheus/slo-rules.yml is stale: run npm run infra:rules').toBe(renderSloRules());
  });

  it.skipIf(!PROMTOOL)(`pass promtool check and their unit tests${noPromtool}`, () => {
    const dir = join(ROOT, 'infra/prometheus');
    const check = spawnSync('promtool', ['check', 'config', 'prometheus.yml'], { cwd: dir, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'slo-rules.test.yml', 'ops-rules.test.yml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });
});

/** Every metric name queried by the dashboards and the rule files (recorded names and Prometheus' own excepted). */
async function queriedMetrics(): Promise<Map<string, string>> {
  const where = new Map<string, string>();
  const recorded = new Set<string>();
  const dashboards = join(ROOT, 'infra/grafana/dashboards');
  for (const f of await readdir(dashboards)) {
    const d = JSON.parse(await readFile(join(dashboards, f), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    for (const p of d.panels)
      for (const t of p.targets ?? []) for (const n of promqlMetricNames(t.expr)) where.set(n, `${f}: ${p.title}`);
  }
  for (const f of ['slo-rules.yml', 'ops-rules.yml']) {
    const rules = parse(await readFile(join(ROOT, 'infra/prometheus', f), 'utf8')) as {
      groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
    };
    for (const g of rules.groups)
      for (const r of g.rules) {
        if (r.record) recorded.add(r.record);
        for (const n of promqlMetricNames(r.expr)) where.set(n, `${f}: ${r.record ?? r.alert}`);
      }
  }
  // Series Prometheus makes itself: scrape health and alert state.
  for (const n of [...recorded, 'up', 'ALERTS']) where.delete(n);
  return where;
}

describe('metrics the dashboards and rules query', () => {
  let server: ServerProcess;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stormops-metrics-'));
    server = await startServerProcess(
      { STORMOPS_DATA_DIR: join(dir, 'data'), STORMOPS_SLO_EVALUATE_SECONDS: '1' },
      dir,
    );
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('are all exported by a live server', { timeout: 60_000 }, async () => {
    const auth = { authorization: `Bearer ${server.platformToken}` };
    expect((await fetch(`${server.url}/v1/tenants`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}/v1/tenants`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/v1/storms/00000000-0000-4000-8000-000000000000`, { headers: auth })).status,
    ).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 1500)); // one SLO pass on the leader
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const families = new Map<string, string>();
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1]!, m[2]!);
    const exported = (name: string): boolean => {
      if (families.has(name)) return true;
      const base = name.replace(/_(bucket|count|sum)$/, '');
      const type = families.get(base);
      return base !== name && (type === 'histogram' || (type === 'summary' && !name.endsWith('_bucket')));
    };
    const queried = await queriedMetrics();
    expect(queried.size).toBeGreaterThan(10);
    const missing = [...queried].filter(([n]) => !exported(n)).map(([n, at]) => `${n} (${at})`);
    expect(missing, 'queried but not exported by /metrics').toEqual([]);
    // The SLO rules select API routes by template and the latency bucket at the 500 ms objective: both must be there.
    expect(text).toMatch(
      /http_server_request_duration_seconds_bucket\{[^}]*le="0\.5"[^}]*http_route="\/v1\/tenants"|http_server_request_duration_seconds_bucket\{[^}]*http_route="\/v1\/tenants"[^}]*le="0\.5"/,
    );
    expect(text).toMatch(/^stormops_leader 1$/m);
  });
});
