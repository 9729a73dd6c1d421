/** The operator's routines on both backends: KPI export (and its anonymization), retention audit, SLA report, CLI. */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { main } from '../../cli/main.ts';
import { createRuntime } from '../../cli/runtime.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { newTenant, operator, tenantCtx } from '../../../test/helpers.ts';
import { historyCsv } from '../demo/properties-csv.ts';
import { importProperties } from '../properties/properties.service.ts';
import { createStorm, setStormStatus } from '../storms/storms.service.ts';
import { exportKpis, retentionAudit, slaReport } from './ops.service.ts';

describeEachDatabase('ops routines', (t) => {
  const tenants: { tenantId: string; orgName: string }[] = [];
  let closedStorm: string;
  const now = new Date('2027-06-01T12:00:00Z');

  beforeAll(async () => {
    for (const n of [120, 40]) {
      const tenant = await newTenant(t().db);
      tenants.push(tenant);
      const ctx = tenantCtx(t().db, tenant.tenantId);
      const storm = await createStorm(ctx, { event_id: `OPS_${n}`, name: `ops ${n}` });
      await importProperties(ctx, { storm_id: storm.storm_id, source: [historyCsv(n, n)] });
      if (n === 40) {
        await setStormStatus(ctx, storm.storm_id, { status: 'cancelled' });
        closedStorm = storm.storm_id;
      }
    }
    // A storm cancelled two years before `now`, an old backup whose file is gone, and incidents for the SLA report.
    await sql`update storm set updated_at = '2025-05-01T00:00:00Z' where storm_id = ${closedStorm}`.execute(
      t().db.owner,
    );
    await sql`insert into backup_log (database_kind, location, bytes) values ('pglite', '/nowhere/old.backup', 1)`.execute(
      t().db.owner,
    );
    await sql`insert into alert_incident (alert_key, source, severity, message, opened_at, resolved_at, trigger_sent_at) values
      ('ops:a', 'slo', 'page', 'a', '2027-05-30T00:00:00Z', '2027-05-30T01:00:00Z', '2027-05-30T00:00:05Z'),
      ('ops:b', 'slo', 'page', 'b', '2027-05-30T06:00:00Z', '2027-05-30T16:00:00Z', null),
      ('ops:c', 'slo', 'page', 'c', '2027-06-01T11:00:00Z', null, null),
      ('ops:d', 'slo', 'ticket', 'd', '2027-05-27T00:00:00Z', null, null),
      ('ops:e', 'slo', 'ticket', 'e', '2027-04-01T00:00:00Z', '2027-04-02T00:00:00Z', null)`.execute(t().db.owner);
  });

  it('exports per-tenant KPIs, and with --anonymize no tenant id or name survives', async () => {
    const plain = await exportKpis(operator(t().db), { days: 30 }, now);
    const mine = plain.tenants.filter((r) => 'tenant_id' in r && tenants.some((x) => x.tenantId === r.tenant_id));
    expect(mine.map((r) => r.properties).sort((a, b) => a - b)).toEqual([40, 120]);
    expect(plain.totals.properties).toBeGreaterThanOrEqual(160);

    const salt = 'a-salt-kept-by-the-operator';
    const anon = await exportKpis(operator(t().db), { days: 30, anonymize: true, salt }, now);
    const text = JSON.stringify(anon);
    for (const x of tenants) {
      expect(text).not.toContain(x.tenantId);
      expect(text).not.toContain(x.orgName);
    }
    expect(anon.tenants.every((r) => 'tenant' in r && /^tenant-[0-9a-f]{10}$/.test(r.tenant))).toBe(true);
    expect(anon.totals).toEqual(plain.totals);
    const again = await exportKpis(operator(t().db), { days: 30, anonymize: true, salt }, now);
    expect(again.tenants).toEqual(anon.tenants);
    const other = await exportKpis(operator(t().db), { days: 30, anonymize: true }, now);
    expect(other.tenants.map((r) => ('tenant' in r ? r.tenant : ''))).not.toEqual(
      anon.tenants.map((r) => ('tenant' in r ? r.tenant : '')),
    );
    await expect(exportKpis(operator(t().db), { days: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(exportKpis(tenantCtx(t().db, tenants[0]!.tenantId), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('audits retention: the old cancelled storm, its addresses and the missing backup file', async () => {
    const r = await retentionAudit(operator(t().db), { days: 365 }, now);
    const by = Object.fromEntries(r.categories.map((c) => [c.category, c]));
    expect(by['closed_storms']?.rows).toBeGreaterThanOrEqual(1);
    expect(by['properties_of_closed_storms']?.rows).toBeGreaterThanOrEqual(40);
    expect(r.missing_backup_files.map((b) => b.location)).toContain('/nowhere/old.backup');
    const shorter = await retentionAudit(operator(t().db), { days: 3000 }, now);
    expect(shorter.categories.find((c) => c.category === 'closed_storms')?.rows).toBe(0);
  });

  it('reports the alert response SLA per severity', async () => {
    const r = await slaReport(operator(t().db), { days: 7, page_hours: 4, ticket_hours: 72 }, now);
    const page = r.severities.find((s) => s.severity === 'page');
    // a: 1 h (met), b: 10 h (breached), c: open for 1 h (not yet decided).
    expect(page).toMatchObject({
      incidents: 3,
      resolved_within_target: 1,
      breached: 1,
      still_open_within_target: 1,
      adherence: 0.5,
      notified: 1,
    });
    const ticket = r.severities.find((s) => s.severity === 'ticket');
    // d: open for 5.5 days, past 72 h; e: outside the 7 days.
    expect(ticket).toMatchObject({ incidents: 1, breached: 1, open_past_target: 1, adherence: 0 });
    await expect(slaReport(operator(t().db), { days: 7, bogus: 1 } as never)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('runs from the CLI and refuses bad flags with exit code 2', async () => {
    let out = '';
    let err = '';
    const rt = createRuntime(
      loadConfig({}),
      { out: { write: (s) => void (out += s) }, err: { write: (s) => void (err += s) } },
      t().db,
    );
    expect(await main(['ops', 'kpis', '--anonymize', '--json'], {}, rt)).toBe(0);
    expect(JSON.parse(out).anonymized).toBe(true);
    expect(await main(['ops', 'retention-audit', '--days', 'soon'], {}, rt)).toBe(2);
    expect(err).toContain('--days must be a number');
    expect(await main(['ops', 'sla', '--page-hours', '-1'], {}, rt)).toBe(2);
  });
});
