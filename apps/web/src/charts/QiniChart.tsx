/** A model version's hold-out Qini curve against random targeting (the diagonal to the same total). */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { UChart } from './UChart';

export interface QiniCurve {
  targeted_share: number[];
  incremental: number[];
}

export function QiniChart({ curve, name }: { curve: QiniCurve; name: string }) {
  const total = curve.incremental.at(-1) ?? 0;
  const data = useMemo<uPlot.AlignedData>(
    () => [curve.targeted_share.map((x) => x * 100), curve.incremental, curve.targeted_share.map((x) => x * total)],
    [curve, total],
  );
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: true },
      scales: { x: { time: false, range: [0, 100] } },
      axes: [{ label: 'Homes targeted, best first (%)' }, { label: 'Incremental conversions' }],
      series: [
        { label: 'Targeted (%)' },
        { label: name, stroke: '#1d4ed8', width: 2, points: { show: false } },
        { label: 'Random targeting', stroke: '#6b7280', dash: [4, 4], width: 1, points: { show: false } },
      ],
    }),
    [name],
  );
  const half = curve.targeted_share.findIndex((x) => x >= 0.5);
  const atHalf = half >= 0 ? curve.incremental[half] : undefined;
  const label =
    atHalf === undefined
      ? `Qini curve of ${name}`
      : `Qini curve of ${name} on its hold-out: the best-ranked half of the homes holds ${atHalf.toFixed(1)} of ${total.toFixed(1)} incremental conversions (random targeting: ${(total / 2).toFixed(1)})`;
  return <UChart options={options} data={data} label={label} testId="qini-chart" />;
}
