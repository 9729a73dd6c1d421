/**
 * A storm-sized projection: equirectangular scaled by cos(latitude) at the middle of the area, fitted to the
 * canvas with a margin. Over a storm's few dozen miles the distortion is negligible and the arithmetic is two
 * multiply-adds per point, which keeps 100,000 points cheap.
 */
export interface Bounds {
  west: number;
  east: number;
  south: number;
  north: number;
}

export interface Projection {
  x: (lon: number) => number;
  y: (lat: number) => number;
}

/** The bounds of the points and any extra places (hail reports), padded so one point still shows its surroundings. */
export function boundsOf(
  lons: ArrayLike<number>,
  lats: ArrayLike<number>,
  extra: readonly { lon: number; lat: number }[] = [],
  padDegrees = 0.05,
): Bounds | null {
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  const add = (x: number, y: number) => {
    if (x < west) west = x;
    if (x > east) east = x;
    if (y < south) south = y;
    if (y > north) north = y;
  };
  for (let i = 0; i < lons.length; i++) add(lons[i] as number, lats[i] as number);
  for (const e of extra) add(e.lon, e.lat);
  if (!Number.isFinite(west)) return null;
  const pad = Math.max(padDegrees, (east - west) * 0.05, (north - south) * 0.05);
  return { west: west - pad, east: east + pad, south: south - pad, north: north + pad };
}

export function fit(b: Bounds, width: number, height: number): Projection {
  const k = Math.cos((((b.south + b.north) / 2) * Math.PI) / 180);
  const spanX = (b.east - b.west) * k;
  const spanY = b.north - b.south;
  const scale = Math.min(width / spanX, height / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  return {
    x: (lon) => offX + (lon - b.west) * k * scale,
    y: (lat) => offY + (b.north - lat) * scale,
  };
}
