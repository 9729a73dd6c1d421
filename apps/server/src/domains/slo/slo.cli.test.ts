/** `stormops slo ...` in-process: the playbook's loop over the dashboard, alerts, evaluation, exit codes. */
import { expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { describeEachDatabase } from '../../../test/databases.ts';
import { main } from '../../cli/main.ts';
import { createRuntime } from '../../cli/runtime.ts';
import { recordJobEvent } from './slo.events.ts';

describeEachDatabase('slo CLI', (t) => {
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

  it('status --json is keyed by SLO name with status and breaches; a burst shows as breaching, then an alert', async () => {
    const { db } = t();
    const empty = await cli('slo', 'status', '--json');
    expect(empty.code).toBe(0);
    const dash = JSON.parse(empty.out) as Record<string, { status: string; breaches: number }>;
    expect(Object.entries(dash).map(([name, m]) => [name, m.status, m.breaches])).toEqual([
      ['api-availability', 'no_data', 0],
      ['api-latency', 'no_data', 0],
      ['report-latency', 'no_data', 0],
      ['scoring-freshness', 'no_data', 0],
      ['outcome-ingestion-lag', 'no_data', 0],
    ]);
    // 150 requests in the last few minutes, a third failing (the CLI runs on the system clock).
    const now = Date.now();
    for (let m = 1; m <= 3; m++)
      await recordJobEvent(db, {
        series: 'http.requests',
        counts: { good: 33, total: 50 },
        at: new Date(now - m * 60_000),
      });
    const ev = await cli('slo', 'evaluate');
    expect(ev.out).toMatch(/opened \[page\] SLO api-availability/);
    const human = await cli('slo', 'status', '--hours', '1');
    expect(human.out).toMatch(/api-availability\s+breaching/);
    expect(human.out).toMatch(/api-availability: 1 breach\(es\); firing: page 1h\/5m >= 14.4x/);
    const alerts = await cli('slo', 'alerts', '--json');
    const list = JSON.parse(alerts.out) as { severity: string; message: string; since: string }[];
    expect(list.map((a) => a.severity)).toEqual(['page', 'ticket']);
    expect((await cli('slo', 'alerts')).out).toMatch(/^\[page\] SLO api-availability/);
  });

  it('bad --hours exits 2 with one line naming the flag', async () => {
    const r = await cli('slo', 'status', '--hours', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--hours must be a whole number/);
  });
});
