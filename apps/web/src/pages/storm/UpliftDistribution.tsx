/** The storm's predicted uplift distribution (bars of scored properties per uplift bin), from the map's column. */
import { useMemo } from 'react';
import uPlot from 'uplot';
import type { StormMap } from '../../api/views';
import { UChart } from '../../charts/UChart';
import { histogram } from '../../charts/histogram';
import { Empty } from '../../components/Async';
import { count } from '../../lib/format';

const bars = uPlot.paths.bars?.({ size: [0.9, 40], align: 1 });

export function UpliftDistribution({ map }: { map: StormMap }) {
  const { data, summary } = useMemo(() => {
    const points = map.properties.uplift.map((u) => (u === null ? null : u * 100));
    const h = histogram(points, 30);
    const scored = points.filter((v): v is number => v !== null).sort((a, b) => a - b);
    const mean = scored.reduce((a, b) => a + b, 0) / (scored.length || 1);
    const median = scored.length ? scored[Math.floor(scored.length / 2)]! : 0;
    return {
      data: [h.edges, h.counts] as uPlot.AlignedData,
      summary: { scored: scored.length, mean, median, positive: scored.filter((v) => v > 0).length },
    };
  }, [map]);
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { label: 'Predicted uplift (points)', values: (_u, v) => v.map((x) => x.toFixed(1)) },
        { label: 'Properties' },
      ],
      series: [{}, { label: 'Properties', fill: '#c2410c99', stroke: '#c2410c', paths: bars, points: { show: false } }],
    }),
    [],
  );
  if (summary.scored === 0) return <Empty>No property is scored yet: score the storm to see its uplift.</Empty>;
  return (
    <section aria-labelledby="uplift-title">
      <h2 id="uplift-title">Uplift distribution</h2>
      <p data-testid="uplift-summary">
        {count(summary.scored)} scored properties; mean predicted uplift {summary.mean.toFixed(2)} points, median{' '}
        {summary.median.toFixed(2)}; {count(summary.positive)} above zero.
      </p>
      <UChart
        options={options}
        data={data}
        testId="uplift-chart"
        label={`Histogram of predicted uplift over ${count(summary.scored)} scored properties, mean ${summary.mean.toFixed(2)} points`}
      />
    </section>
  );
}
