import { describe, expect, it } from 'vitest';
import { pilotCharts } from './charts/pilot-charts.ts';
import { computePilotResults } from './pilot.compute.ts';
import { pilotVerdict } from './pilot.format.ts';
import { pilotNextSteps, propertiesForTargetLift } from './pilot.next-steps.ts';
import { renderPilot } from './pilot.render.ts';
import type { PilotInputs } from './pilot.schema.ts';
import { simulatePilotInputs } from './pilot.simulate.ts';
import { pilotTables } from './pilot.tables.ts';

const inputs = simulatePilotInputs();
const results = computePilotResults(inputs);
const ASCII = /^[\x20-\x7E]*$/;

function variant(change: (i: PilotInputs) => void) {
  const copy = structuredClone(inputs);
  change(copy);
  return computePilotResults(copy);
}

describe('the example campaign', () => {
  it('has about 12 points of lift, clearly significant, and passes every criterion', () => {
    expect(results.outcomes.lift.absolute).toBeGreaterThan(0.1);
    expect(results.outcomes.lift.absolute).toBeLessThan(0.14);
    expect(results.summary).toEqual({ passed: 9, total: 9, outcome: 'success' });
    expect(results.uplift_accuracy!.qini_coefficient).toBeGreaterThan(0.05);
  });
});

describe('verdict', () => {
  it('opens with the lift, its interval and the money', () => {
    const v = pilotVerdict(results);
    expect(v).toMatch(/^Knocking raised signed jobs by 11\.6 points \(95% CI 9\.7 to 13\.3; p < 0\.001\)/);
    expect(v).toMatch(/incremental revenue for \$115,525 of canvassing: an ROI of 2,056%/);
    expect(v).toMatch(/The pilot is a success: 9 of 9 success criteria pass\./);
  });

  it('says plainly when the lift cannot be told from zero, and names what failed', () => {
    const r = variant((i) => {
      i.arms.hold = {
        ...i.arms.treat,
        n: 1250,
        conversions: Math.round((i.arms.treat.conversions / 5000) * 1250) - 5,
        revenue_cents: Math.round(i.arms.treat.revenue_cents / 4),
        revenue_sq_cents2: i.arms.treat.revenue_sq_cents2 / 4,
        knocked: 0,
        contaminated: 0,
      };
    });
    const v = pilotVerdict(r);
    expect(v).toMatch(/^Knocking changed signed jobs by \+\d\.\d pts .* which cannot be told apart from no effect/);
    expect(v).toMatch(
      /The pilot did not succeed: \d of 9 success criteria pass \(not met: treatment beats hold-out by/,
    );
  });

  it('warns about sample-ratio mismatch and contamination', () => {
    const r = variant((i) => {
      i.policy.hold_share = 0.3;
      i.arms.hold.knocked = 7;
      i.arms.hold.contaminated = 7;
    });
    const v = pilotVerdict(r);
    expect(v).toMatch(/sample-ratio mismatch/);
    expect(v).toMatch(/7 held-out properties were knocked anyway/);
  });
});

describe('next steps', () => {
  it('a success says to share and scale; failures get their fix; SRM comes first', () => {
    expect(pilotNextSteps(results)[0]).toMatch(/^Send this report to the contractor/);
    const r = variant((i) => {
      i.policy.hold_share = 0.3;
      i.arms.hold.knocked = 7;
      i.arms.hold.contaminated = 7;
    });
    const steps = pilotNextSteps(r);
    expect(steps[0]).toMatch(/^Explain the sample-ratio mismatch first/);
    expect(steps.some((s) => /Re-brief crews on the hold-out: 7 held-out properties/.test(s))).toBe(true);
  });

  it('sizes a larger pilot with packages/stats when the result is inconclusive', () => {
    // hold rate 89/1250, target +10 pts, 20% hold-out, 80% power: N = 554.71 by the closed form in scipy
    // (z_.975 sqrt(pbar qbar k) + z_.8 sqrt(pT qT/.8 + pC qC/.2))^2 / 0.1^2 -> 444 treat + 111 hold
    expect(propertiesForTargetLift(results)).toBe(555);
  });
});

describe('renderers', () => {
  it('every word the PDF prints is plain ASCII (built-in fonts are WinAnsi)', () => {
    const { criteria, details } = pilotTables(results);
    const words = [
      pilotVerdict(results),
      ...[criteria, ...details].flatMap((t) => [t.title, t.note ?? '', ...t.header, ...t.rows.flat()]),
    ];
    for (const c of pilotCharts(results)) {
      words.push(c.title, c.caption, ...c.primitives.flatMap((p) => (p.kind === 'text' ? [p.text] : [])));
    }
    for (const w of words) expect(w).toMatch(ASCII);
  });

  it('Markdown: verdict first, then the criteria table', async () => {
    const md = (await renderPilot(results, 'md')) as string;
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Pilot report: DFW Storm Feb 2026 (DFW_STORM_001)');
    expect(md.indexOf('**Verdict.**')).toBeLessThan(md.indexOf('## Success criteria'));
    expect(md).toContain('| Return on investment | > 300% | 2,056% | **PASS** |');
  });

  it('HTML: one self-contained file with four inline SVG charts and print CSS', async () => {
    const html = (await renderPilot(results, 'html')) as string;
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('@media print');
    expect(html).toMatch(/<td class="center PASS">PASS<\/td>/);
  });

  it('PDF: a deterministic PDF of five pages', async () => {
    const a = (await renderPilot(results, 'pdf')) as Buffer;
    const b = (await renderPilot(results, 'pdf')) as Buffer;
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(5);
    expect(a.equals(b)).toBe(true);
  });

  it('JSON is the results, and an unknown format is refused', async () => {
    expect(JSON.parse((await renderPilot(results, 'json')) as string)).toEqual(JSON.parse(JSON.stringify(results)));
    await expect(renderPilot(results, 'docx' as never)).rejects.toThrow(/format: must be one of md, html, pdf, json/);
  });

  it('a storm without score buckets still renders (no accuracy charts)', async () => {
    const r = variant((i) => (i.score_buckets = []));
    expect(r.uplift_accuracy).toBeNull();
    expect(pilotCharts(r)).toHaveLength(2);
    expect(((await renderPilot(r, 'pdf')) as Buffer).length).toBeGreaterThan(1000);
  });
});
