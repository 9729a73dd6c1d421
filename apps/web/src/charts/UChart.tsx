/**
 * A uPlot chart sized to its container: built once per data or options change, resized with the container, and
 * described by a text alternative (the numbers it draws are also in a table or sentence next to it).
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function UChart({
  options,
  data,
  label,
  height = 240,
  testId,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  label: string;
  height?: number;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, data, el);
    el.dataset.drawn = 'yes';
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
      delete el.dataset.drawn;
    };
  }, [options, data, height]);
  return <div ref={box} role="img" aria-label={label} data-testid={testId} className="chart" />;
}
