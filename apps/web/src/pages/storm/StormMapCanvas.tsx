/** The storm map's canvas, redrawn when the data, the colouring or the canvas's size changes (not on the observer's
 * first report of the size it was just drawn at). */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StormMap } from '../../api/types';
import { ARM_COLORS, drawStormMap, UNSCORED, UPLIFT_COLORS, type ColorBy } from '../../map/draw';
import { loadOutlines, type Outlines } from '../../map/outlines';
import type { MapPoints } from '../../map/points';
import { boundsOf } from '../../map/projection';
import { count } from '../../lib/format';
import { Empty, ErrorNote } from '../../components/Async';

export function StormMapCanvas({ map, points, by }: { map: StormMap; points: MapPoints; by: ColorBy }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [outlines, setOutlines] = useState<Outlines | null>(null);
  const [outlineError, setOutlineError] = useState<unknown>(null);
  const [drawn, setDrawn] = useState<number | null>(null);
  const bounds = useMemo(() => boundsOf(points.lon, points.lat, map.hail_reports), [points, map]);

  useEffect(() => {
    loadOutlines().then(setOutlines, setOutlineError);
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !bounds) return;
    let size = '';
    const draw = () => {
      const now = `${c.clientWidth}x${c.clientHeight}`;
      if (now === size) return;
      size = now;
      setDrawn(drawStormMap(c, points, map.hail_reports, bounds, outlines, by));
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(c);
    return () => ro.disconnect();
  }, [map, points, bounds, outlines, by]);

  if (!bounds) return <Empty>No property or hail report of this storm has a location yet.</Empty>;
  return (
    <figure>
      <div className="map-frame">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`Map of ${count(points.count)} properties and ${count(map.hail_reports.length)} hail reports, coloured by ${by === 'arm' ? 'arm' : 'predicted uplift'}`}
          data-drawn={drawn ?? undefined}
          data-outlines={outlines ? 'yes' : 'no'}
        />
      </div>
      <figcaption className="legend">
        {by === 'arm' ? (
          <>
            <span>
              <i className="swatch" style={{ background: ARM_COLORS.t }} />
              Treat
            </span>
            <span>
              <i className="swatch" style={{ background: ARM_COLORS.h }} />
              Hold (control)
            </span>
          </>
        ) : (
          <span>
            Uplift, low to high{' '}
            {UPLIFT_COLORS.map((c) => (
              <i key={c} className="swatch" style={{ background: c }} />
            ))}
          </span>
        )}
        <span>
          <i className="swatch" style={{ background: UNSCORED }} />
          {by === 'arm' ? 'Not assigned' : 'Not scored'}
        </span>
        <span>○ hail report (size by diameter)</span>
      </figcaption>
      {outlineError ? <ErrorNote error={outlineError} /> : null}
    </figure>
  );
}
