/** The pilot report as Markdown (GitHub-flavoured tables): verdict first, then criteria, key figures, details. */
import { pilotCharts } from './charts/pilot-charts.ts';
import { pilotSubtitle, pilotTitle, pilotVerdict } from './pilot.format.ts';
import { pilotNextSteps } from './pilot.next-steps.ts';
import type { PilotResults } from './pilot.results.ts';
import { pilotTables, type Table } from './pilot.tables.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const RULE = { left: ':---', right: '---:', center: ':---:' } as const;

function tableMd(t: Table, heading = '##'): string {
  const rows = t.rows.map(
    (r) => `| ${r.map((c, i) => (i === t.statusColumn && c ? `**${c}**` : cell(c))).join(' | ')} |`,
  );
  return [
    `${heading} ${t.title}`,
    '',
    `| ${t.header.map(cell).join(' | ')} |`,
    `| ${t.align.map((a) => RULE[a]).join(' | ')} |`,
    ...rows,
    ...(t.note ? ['', `_${t.note}_`] : []),
  ].join('\n');
}

/**
 * Markdown report (no images: each chart appears as its caption; the tables carry the same numbers).
 *
 * @example
 * await writeFile('pilot.md', renderMarkdown(results));
 */
export function renderMarkdown(r: PilotResults): string {
  const tables = pilotTables(r);
  const charts = pilotCharts(r);
  return [
    `# ${pilotTitle(r)}`,
    '',
    `_${pilotSubtitle(r)}_`,
    '',
    `**Verdict.** ${pilotVerdict(r)}`,
    '',
    tableMd(tables.criteria),
    '',
    '## Next steps',
    '',
    ...pilotNextSteps(r).map((s) => `- ${s}`),
    '',
    ...tables.details.flatMap((t) => [tableMd(t), '']),
    '## About the charts',
    '',
    ...charts.map((c) => `- **${c.title}.** ${c.caption}`),
    '',
    '---',
    '',
    `_Method: intent-to-treat comparison of a randomized hold-out; all intervals at ${Math.round((1 - r.alpha) * 100)}%. ` +
      'Formulas and reasons: docs/roi-methodology.md. Money in US dollars._',
    '',
  ].join('\n');
}
