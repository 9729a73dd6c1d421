/** Cumulative lift day by day with its always-valid band (a confidence sequence: valid at every look at once). */
import { useMemo } from 'react';
import uPlot from 'uplot';
import type { PilotResults } from '../api/types';
import { UChart } from './UChart';

export function LiftChart({ overTime }: { overTime: PilotResults['over_time'] }) {
  const data = useMemo<uPlot.AlignedData>(() => {
    const p = overTime.points;
    return [
      p.map((x) => Date.parse(x.date) / 1000),
      p.map((x) => x.upper * 100),
      p.map((x) => x.lift * 100),
      p.map((x) => x.lower * 100),
      p.map(() => 0),
    ];
  }, [overTime]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: true },
      scales: {
        // A day either side, so one day's point sits in the middle of a readable week, not a span of years.
        x: { time: true, range: (_u, min, max) => [min - 86_400, max + 86_400] },
        y: { range: (_u, min, max) => [Math.min(0, min) - 0.5, Math.max(0, max) + 0.5] },
      },
      axes: [{}, { label: 'Lift (points)' }],
      series: [
        {},
        { label: 'Upper bound', stroke: '#60a5fa', width: 1, points: { show: true } },
        { label: 'Cumulative lift', stroke: '#1d4ed8', width: 2, points: { show: true } },
        { label: 'Lower bound', stroke: '#60a5fa', width: 1, points: { show: true } },
        { label: 'No lift', stroke: '#6b7280', dash: [4, 4], width: 1, points: { show: false } },
      ],
      bands: [{ series: [1, 3], fill: '#bfdbfe88' }],
    }),
    [],
  );
  const last = overTime.points.at(-1);
  const label = last
    ? `Cumulative lift over ${overTime.points.length} days, last ${(last.lift * 100).toFixed(1)} points, always-valid band ${(last.lower * 100).toFixed(1)} to ${(last.upper * 100).toFixed(1)}`
    : 'No day with both arms yet';
  return <UChart options={options} data={data} label={label} testId="lift-chart" />;
}
