/**
 * scripts/install_tier.sh against a stand-in `docker` on PATH that records its calls: arguments checked, the profile
 * copied, storage made, the compose project started with the tier's profile; --dry-run prints instead; without an
 * engine it says so and points at npm start.
 */
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
let dir: string;
let log: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stormops-install-'));
  for (const f of ['scripts/install_tier.sh', 'docker-compose.yml', 'infra/profiles'])
    await cp(join(ROOT, f), join(dir, f), { recursive: true });
  await mkdir(join(dir, 'bin'));
  log = join(dir, 'docker-calls.log');
  // The stand-in: records every call; `docker info` fails when FAKE_ENGINE=down.
  await writeFile(
    join(dir, 'bin', 'docker'),
    `#!/usr/bin/env bash\necho "$*" >> "${log}"\nif [ "$1" = info ] && [ "\${FAKE_ENGINE:-up}" = down ]; then exit 1; fi\nexit 0\n`,
  );
  await chmod(join(dir, 'bin', 'docker'), 0o755);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function install(args: string[], engine: 'up' | 'down' = 'up') {
  const r = spawnSync('bash', [join(dir, 'scripts/install_tier.sh'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, FAKE_ENGINE: engine },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const calls = async () => (existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : []);

it('refuses a missing or unknown tier and unknown options with usage', async () => {
  for (const args of [[], ['staging'], ['dev', '--bogus'], ['dev', 'prod']]) {
    const r = install(args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.err).toContain('usage: scripts/install_tier.sh dev|prod [--dry-run]');
  }
  expect(install(['staging']).err).toContain('unknown tier or option: staging');
  expect(await calls()).toEqual([]);
});

it('--dry-run prints every command and changes nothing', async () => {
  const r = install(['prod', '--dry-run']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('+ cp infra/profiles/prod.env .env');
  expect(r.out).toContain(
    '+ mkdir -p storage/postgres storage/backups storage/prometheus storage/grafana storage/billing',
  );
  expect(r.out).toContain('+ docker compose --profile prod up -d');
  expect(existsSync(join(dir, '.env'))).toBe(false);
  expect(existsSync(join(dir, 'storage'))).toBe(false);
  expect((await calls()).filter((c) => c.includes('up -d'))).toEqual([]);
});

it('installs dev: profile copied, storage made, compose started with the dev profile', async () => {
  const r = install(['dev']);
  expect(r.code, r.err).toBe(0);
  expect(await readFile(join(dir, '.env'), 'utf8')).toBe(await readFile(join(dir, 'infra/profiles/dev.env'), 'utf8'));
  for (const s of ['postgres', 'backups', 'prometheus', 'grafana', 'billing'])
    expect(existsSync(join(dir, 'storage', s))).toBe(true);
  expect(await calls()).toContain('compose --profile dev up -d');
});

it('refuses prod until the CHANGE-ME secrets are replaced, keeps them on the next run, then starts prod', async () => {
  install(['dev']);
  const first = install(['prod']);
  expect(first.code).toBe(1);
  expect(first.err).toContain('CHANGE-ME');
  expect(await readFile(join(dir, '.env.previous'), 'utf8')).toContain('STORMOPS_PROFILE=dev');
  const env = (await readFile(join(dir, '.env'), 'utf8')).replace(
    /CHANGE-ME[\w-]*/g,
    'a-secret-of-the-operators-own-choosing-42',
  );
  await writeFile(join(dir, '.env'), env);
  const second = install(['prod']);
  expect(second.code, second.err).toBe(0);
  expect(second.out).toContain('keeping .env');
  expect(await readFile(join(dir, '.env'), 'utf8')).toBe(env);
  expect(await calls()).toContain('compose --profile prod up -d');
});

it('without a Docker engine says so and points at npm start', async () => {
  const r = install(['dev'], 'down');
  expect(r.code).toBe(3);
  expect(r.err).toContain('no Docker engine is reachable');
  expect(r.err).toContain('npm start');
  expect((await calls()).filter((c) => c.includes('up -d'))).toEqual([]);
});
