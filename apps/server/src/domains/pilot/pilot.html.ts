/**
 * The pilot report as ONE self-contained HTML file: inline CSS, inline SVG charts, no scripts, fonts or images
 * fetched from anywhere, so it can be e-mailed, archived and printed (print CSS keeps sections off page breaks).
 */
import { chartSvg, escapeXml } from './charts/svg.ts';
import { pilotCharts } from './charts/pilot-charts.ts';
import type { Chart } from './charts/primitives.ts';
import { pilotSubtitle, pilotTitle, pilotVerdict, pctValue, pts, usd, count, level, ptsNum } from './pilot.format.ts';
import type { PilotResults } from './pilot.results.ts';
import { pilotNextSteps } from './pilot.next-steps.ts';
import { pilotTables, type Table } from './pilot.tables.ts';

const STYLE = `
:root{--ink:#1f2328;--muted:#57606a;--line:#d8dee4;--pass:#1a7f37;--fail:#d1242f;--brand:#1f6feb}
*{box-sizing:border-box}
body{font:15px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);max-width:880px;margin:32px auto;padding:0 20px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.sub{color:var(--muted);margin:0 0 20px}
.verdict{border-left:5px solid var(--brand);background:#f3f7fe;padding:14px 18px;font-size:16px;margin:0 0 20px}
.verdict.unsuccessful{border-color:var(--fail);background:#fff5f5}.verdict.mixed,.verdict.inconclusive{border-color:#bf8700;background:#fffbea}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:0 0 8px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 12px}.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:4px 0 6px;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{background:#f6f8fa;text-align:left}
td.right,th.right{text-align:right}td.center,th.center{text-align:center}
.PASS{color:var(--pass);font-weight:700}.FAIL{color:var(--fail);font-weight:700}.DATA{color:var(--muted);font-weight:700}
.note{color:var(--muted);font-size:12.5px;margin:2px 0 14px}
figure{margin:12px 0 22px}figure svg{width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:12.5px}
footer{color:var(--muted);font-size:12px;border-top:1px solid var(--line);margin-top:32px;padding-top:8px}
@media print{body{margin:0;max-width:none;font-size:11pt}h2,figure,table,.cards{break-inside:avoid}
h2{break-after:avoid}.verdict{background:none}@page{size:letter;margin:16mm}}
@media (max-width:640px){.cards{grid-template-columns:repeat(2,1fr)}}
`;

function tableHtml(t: Table): string {
  const head = t.header.map((h, i) => `<th class="${t.align[i]}">${escapeXml(h)}</th>`).join('');
  const body = t.rows
    .map(
      (row) =>
        `<tr>${row.map((c, i) => `<td class="${t.align[i]}${i === t.statusColumn && c ? ` ${c}` : ''}">${escapeXml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<h2>${escapeXml(t.title)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${t.note ? `\n<p class="note">${escapeXml(t.note)}</p>` : ''}`;
}

function figureHtml(c: Chart): string {
  return `<figure><h2>${escapeXml(c.title)}</h2>\n${chartSvg(c)}\n<figcaption>${escapeXml(c.caption)}</figcaption></figure>`;
}

function cards(r: PilotResults): string {
  const l = r.outcomes.lift;
  const items: [string, string][] = [
    [pts(l.absolute), `lift in signed jobs (${ptsNum(l.absolute_ci[0])} to ${ptsNum(l.absolute_ci[1])})`],
    [r.roi.roi_pct === null ? 'n/a' : pctValue(r.roi.roi_pct), 'return on investment'],
    [usd(r.roi.incremental_revenue), `incremental revenue, ${count(r.roi.incremental_conversions)} extra jobs`],
    [r.roi.cac === null ? 'n/a' : usd(r.roi.cac), 'cost per incremental job'],
  ];
  return `<div class="cards">${items.map(([v, k]) => `<div class="card"><b>${escapeXml(v)}</b><span>${escapeXml(k)}</span></div>`).join('')}</div>`;
}

/**
 * Self-contained HTML report.
 *
 * @example
 * await writeFile('pilot.html', renderHtml(results));
 */
export function renderHtml(r: PilotResults): string {
  const tables = pilotTables(r);
  const charts = pilotCharts(r);
  const [arms, roi, ...rest] = tables.details;
  const title = pilotTitle(r);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeXml(title)}</h1>
<p class="sub">${escapeXml(pilotSubtitle(r))}</p>
<p class="verdict ${r.summary.outcome}">${escapeXml(pilotVerdict(r))}</p>
${cards(r)}
${tableHtml(tables.criteria)}
<h2>Next steps</h2>
<ul class="steps">${pilotNextSteps(r)
    .map((s) => `<li>${escapeXml(s)}</li>`)
    .join('')}</ul>
${charts.slice(0, 2).map(figureHtml).join('\n')}
${[arms, roi]
  .filter((t): t is Table => t !== undefined)
  .map(tableHtml)
  .join('\n')}
${charts.slice(2).map(figureHtml).join('\n')}
${rest.map(tableHtml).join('\n')}
<footer>Intent-to-treat comparison of a randomized hold-out; intervals at ${level(r.alpha)}. Money in US dollars.
Formulas and reasons: docs/roi-methodology.md. Storm ${escapeXml(r.storm.storm_id)}.</footer>
</body></html>
`;
}
