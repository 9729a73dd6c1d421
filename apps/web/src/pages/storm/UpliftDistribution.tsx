/**
 * The storm's predicted uplift distribution (bars of scored properties per uplift bin), from the binary map's Int16
 * uplift column as it arrived (no per-point objects).
 */
import { useMemo } from 'react';
import uPlot from 'uplot';
import { UChart } from '../../charts/UChart';
import { histogram } from '../../charts/histogram';
import { Empty } from '../../components/Async';
import { count } from '../../lib/format';
import { scoredCodes, type MapPoints } from '../../map/points';

const bars = uPlot.paths.bars?.({ size: [0.9, 40], align: 1 });

export function UpliftDistribution({ points }: { points: MapPoints }) {
  const { data, summary } = useMemo(() => {
    // Points of probability: the codes are uplift x upliftScale.
    const toPoints = 100 / points.upliftScale;
    const h = histogram(points.uplift, 30, { missing: points.notScored, scale: toPoints });
    const scored = scoredCodes(points);
    let sum = 0;
    let positive = 0;
    for (let i = 0; i < scored.length; i++) {
      sum += scored[i] as number;
      if ((scored[i] as number) > 0) positive++;
    }
    const mean = (sum / (scored.length || 1)) * toPoints;
    const median = scored.length ? (scored[Math.floor(scored.length / 2)] as number) * toPoints : 0;
    return {
      data: [h.edges, h.counts] as uPlot.AlignedData,
      summary: { scored: scored.length, mean, median, positive },
    };
  }, [points]);
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
