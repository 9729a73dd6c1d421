/** The CLI in-process: the script shapes of the playbook, one-line errors and exit codes. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { main } from './main.ts';
import { createRuntime } from './runtime.ts';
import { scoredStorm } from '../domains/policy/test-fixtures.ts';
import { applyPolicy } from '../domains/policy/policy.service.ts';

describeEachDatabase('CLI', (t) => {
  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const rt = createRuntime(
      loadConfig({}),
      { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) } },
      t().db,
    );
    const code = await main(argv, {}, rt);
    return { code, out, err };
  }

  it('provisions a tenant and creates a storm in the shapes scripts read', async () => {
    const p = await cli(
      'tenant',
      'provision',
      '--org',
      'Cli Roofing',
      '--tier',
      'standard',
      '--admin-email',
      'admin@cli.example',
      '--json',
    );
    expect(p.code).toBe(0);
    const tenant = JSON.parse(p.out) as { tenant_id: string; admin_token: string };
    expect(tenant.tenant_id).toMatch(/^[0-9a-f-]{36}$/);
    const s = await cli(
      'storm',
      'create',
      '--tenant',
      tenant.tenant_id,
      '--event-id',
      'CLI_001',
      '--name',
      'Cli storm',
      '--json',
    );
    expect(s.code).toBe(0);
    const storm = JSON.parse(s.out) as { storm_id: string };
    const moved = await cli('storm', 'status', '--storm', storm.storm_id, 'active', '--reason', 'go', '--json');
    expect(JSON.parse(moved.out).status).toBe('active');
    const shown = await cli('storm', 'show', '--storm', storm.storm_id);
    expect(shown.out).toMatch(/status\s+active/);
    const listed = await cli('tenant', 'list');
    expect(listed.out).toContain('Cli Roofing');
    const storms = await cli('storm', 'list', '--tenant', tenant.tenant_id, '--json');
    expect(JSON.parse(storms.out)).toHaveLength(1);
    // A group's option and its sub-commands' own: `health rates --storm X` reaches the sub-command.
    for (const sub of ['rates', 'drift', 'history']) {
      const r = await cli('health', sub, '--storm', storm.storm_id, '--json');
      expect({ sub, code: r.code, err: r.err }).toEqual({ sub, code: 0, err: '' });
    }
    expect((await cli('health')).err).toContain("required option '--storm <id>'");
    const flags = await cli('tenant', 'flags', '--tenant', tenant.tenant_id, '--flag', 'sso=true', '--json');
    expect(JSON.parse(flags.out).feature_flags.sso).toBe(true);
  });

  it("logs an outcome by the storm's event id, as the playbook's log_outcome passes it", async () => {
    const { tenant, storm } = await scoredStorm(t().db, 20, 7);
    const [propertyId] = await t().db.withTenant(tenant.tenantId, async (trx) =>
      (
        await sql<{ property_id: string }>`select property_id from property where storm_id = ${storm.storm_id}`.execute(
          trx,
        )
      ).rows.map((r) => r.property_id),
    );
    const log = (eventId: string) =>
      cli(
        'outcome',
        'log',
        '--event-id',
        eventId,
        '--tenant',
        tenant.tenantId,
        '--property',
        propertyId!,
        '--converted',
        'true',
        '--value',
        '12000',
        '--json',
      );
    const ok = await log(storm.event_id);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ event_id: storm.event_id, property_id: propertyId, converted: true });
    const wrong = await log('SOME_OTHER_EVENT');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain(`belongs to storm ${storm.event_id}, not SOME_OTHER_EVENT`);
  });

  it('writes a PDF report to pilot-<storm>.pdf when no --out is given', async () => {
    const { storm, ctx } = await scoredStorm(t().db, 200, 8);
    await applyPolicy(ctx, { storm_id: storm.storm_id, mode: 'moderate', seed: 3 });
    const dir = await mkdtemp(join(tmpdir(), 'stormops-pdf-'));
    const cwd = process.cwd();
    process.chdir(dir); // tests run in forks, so the working folder is this file's own
    try {
      const r = await cli('pilot', 'run', '--storm', storm.storm_id, '--format', 'pdf', '--json');
      expect(r.err).toBe('');
      expect(JSON.parse(r.out)).toMatchObject({ file: `pilot-${storm.storm_id}.pdf`, format: 'pdf' });
      const pdf = await readFile(join(dir, `pilot-${storm.storm_id}.pdf`));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['tenant', 'provision', '--org', 'X', '--tier', 'gold', '--admin-email', 'x@x.com'], 'tier'],
    [['tenant', 'provision', '--org', 'X', '--tier', 'trial', '--admin-email', 'nope'], 'admin_email'],
    [['storm', 'show', '--storm', 'not-a-uuid'], 'storm_id'],
    [['storm', 'show', '--storm', '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'], 'not found'],
    [['tenant', 'flags', '--tenant', '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', '--flag', 'sso'], 'name=true|false'],
  ])('exits 2 with one line for %j', async (argv, fragment) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(fragment);
  });

  it('prints the error body on stdout under --json, and exits 2 on usage errors', async () => {
    const r = await cli(
      'storm',
      'create',
      '--tenant',
      '6f1c7a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      '--event-id',
      'E',
      '--name',
      'n',
      '--json',
    );
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error.code).toBe('NOT_FOUND');
    expect((await cli('storm', 'create', '--json')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('--help')).code).toBe(0);
  });

  it('shows progress of exposure recompute on a terminal stderr, never in the --json stdout', async () => {
    const s = await scoredStorm(t().db, 300, 5);
    let out = '';
    let err = '';
    const rt = createRuntime(
      loadConfig({}),
      { out: { write: (x) => void (out += x) }, err: { write: (x) => void (err += x), isTTY: true } },
      t().db,
    );
    expect(await main(['storm', 'reports', 'exposure', '--storm', s.storm.storm_id, '--json'], {}, rt)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ properties: 300 });
    expect(err).toContain('exposure: reading properties');
    expect(err).toMatch(/exposure: writing exposure {2}\[#{24}\] 100% {2}300\/300 rows/);
    expect(err.endsWith('\r\u001b[K')).toBe(true); // the line is cleared at the end
    // Not a terminal (a pipe, a log file): nothing.
    const quiet = await cli('storm', 'reports', 'exposure', '--storm', s.storm.storm_id, '--json');
    expect(quiet.err).toBe('');
  });

  it('migrates and reports status', async () => {
    const m = await cli('db', 'migrate', '--json');
    expect(JSON.parse(m.out)).toMatchObject({ applied: [] });
    const s = await cli('db', 'status', '--json');
    expect(JSON.parse(s.out).migrations.every((x: { state: string }) => x.state === 'applied')).toBe(true);
  });
});
