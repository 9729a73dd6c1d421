/**
 * Storm exposure of properties: for each property, the largest hail within a radius (default 5 miles), how many hail
 * reports fall within it, the distance to the nearest hail report at any distance, and the strongest wind within the
 * radius. Reports go into a SpatialGrid; properties are grouped by a finer grid, each group gathers the reports near
 * its cell once (radius + half-diagonal) and each property tests only those; nearest hail uses expanding rings.
 * Distances compare squared chords of unit vectors (exact haversine ordering, no trigonometry per pair).
 */
import { EARTH_RADIUS_MILES, MILES_PER_DEG_LAT, haversineA, haversineMiles, maxLonDeltaDeg } from './geo.ts';
import { SpatialGrid } from './spatial-grid.ts';
import type { StormReport } from './spc-parser.ts';

export const DEFAULT_EXPOSURE_RADIUS_MILES = 5;
/** Grid cells per radius (1 to 4 measured alike on the benchmark: the in-circle checks dominate, not the box corners). */
const CELLS_PER_RADIUS = 2;

export interface ReportPoints {
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
  /** Hail inches or wind knots; NaN for an unknown magnitude (counted, never the maximum). */
  magnitude: ArrayLike<number>;
}

export interface PropertyPoints {
  /** NaN where a property has no coordinates: its results are NaN / -1 / 0. */
  lat: Float64Array;
  lon: Float64Array;
}

export interface Exposure {
  /** Largest hail (inches) within the radius; 0 when none. */
  maxHailInches: Float64Array;
  hailReportsWithin: Int32Array;
  /** Miles to the nearest hail report at any distance; Infinity when there are no hail reports. */
  nearestHailMiles: Float64Array;
  /** Index (into the hail input) of the nearest report; -1 when none. */
  nearestHailIndex: Int32Array;
  /** Strongest wind (knots) within the radius; 0 when none with a known speed. */
  maxWindKnots: Float64Array;
  windReportsWithin: Int32Array;
}

export interface ExposureOptions {
  radiusMiles?: number;
}

/** Computes exposure for every property. */
export function computeExposure(
  properties: PropertyPoints,
  hail: ReportPoints,
  wind: ReportPoints | null = null,
  options: ExposureOptions = {},
): Exposure {
  const n = properties.lat.length;
  const radius = options.radiusMiles ?? DEFAULT_EXPOSURE_RADIUS_MILES;
  const cellDeg = Math.max(radius / MILES_PER_DEG_LAT / CELLS_PER_RADIUS, 0.005);
  const hailGrid = new GridWithValues(hail, cellDeg);
  const windGrid = wind ? new GridWithValues(wind, cellDeg) : null;
  const out: Exposure = {
    maxHailInches: new Float64Array(n),
    hailReportsWithin: new Int32Array(n),
    nearestHailMiles: new Float64Array(n),
    nearestHailIndex: new Int32Array(n).fill(-1),
    maxWindKnots: new Float64Array(n),
    windReportsWithin: new Int32Array(n),
  };
  const aRadius = haversineA(radius);
  const limit = 4 * aRadius;
  const q = new Query();
  // Properties are grouped by a fine grid cell; each group gathers once the reports within radius + the cell's
  // half-diagonal of its centre (a superset, by the triangle inequality) and its properties test only those.
  const located = locatedProperties(properties, out);
  const groups = new SpatialGrid(located.lat, located.lon, cellDeg / 4);
  const hailCandidates = new Candidates(hailGrid.grid.size);
  const windCandidates = new Candidates(windGrid?.grid.size ?? 0);
  const center = new Query();
  const xyz = groups.xyz;
  for (let c = 0; c < groups.rows * groups.cols; c++) {
    const first = groups.cellStart[c]!;
    const end = groups.cellStart[c + 1]!;
    if (first === end) continue;
    const row = Math.floor(c / groups.cols);
    const cLat = groups.lat0 + (row + 0.5) * groups.cellDeg;
    const cLon = groups.lon0 + (c - row * groups.cols + 0.5) * groups.cellDeg;
    const reach = radius + halfDiagonalMiles(cLat, cLon, groups.cellDeg / 2) * (1 + 1e-9) + 1e-9;
    center.set(cLat, cLon);
    hailGrid.collect(center, reach, hailCandidates);
    windGrid?.collect(center, reach, windCandidates);
    for (let k = first; k < end; k++) {
      const i = located.index[groups.order[k]!]!;
      q.setXyz(groups.lat[k]!, groups.lon[k]!, xyz[3 * k]!, xyz[3 * k + 1]!, xyz[3 * k + 2]!);
      hailCandidates.within(q, limit);
      out.maxHailInches[i] = q.max;
      out.hailReportsWithin[i] = q.count;
      if (windGrid) {
        windCandidates.within(q, limit);
        out.maxWindKnots[i] = q.max;
        out.windReportsWithin[i] = q.count;
      }
      const nearest = hailGrid.nearest(q);
      out.nearestHailIndex[i] = nearest;
      out.nearestHailMiles[i] =
        nearest === -1 ? Infinity : 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(q.bestA)));
    }
  }
  return out;
}

/** Properties with coordinates (and their original indexes); the others get NaN results here. */
function locatedProperties(
  properties: PropertyPoints,
  out: Exposure,
): { lat: Float64Array; lon: Float64Array; index: Int32Array } {
  const n = properties.lat.length;
  const index = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(properties.lat[i]!) && Number.isFinite(properties.lon[i]!)) index[m++] = i;
    else {
      out.maxHailInches[i] = NaN;
      out.nearestHailMiles[i] = NaN;
      out.maxWindKnots[i] = NaN;
    }
  }
  const lat = new Float64Array(m);
  const lon = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    lat[k] = properties.lat[index[k]!]!;
    lon[k] = properties.lon[index[k]!]!;
  }
  return { lat, lon, index: index.subarray(0, m) };
}

/** Largest distance from a cell's centre to its corners (the cell spans ±half degrees). */
function halfDiagonalMiles(lat: number, lon: number, half: number): number {
  return Math.max(haversineMiles(lat, lon, lat + half, lon + half), haversineMiles(lat, lon, lat - half, lon + half));
}

/** Reports gathered for one group of properties: interleaved unit vectors and magnitudes. */
class Candidates {
  readonly xyz: Float64Array;
  readonly values: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.xyz = new Float64Array(3 * capacity);
    this.values = new Float64Array(capacity);
  }

  /** Sets q.max and q.count over the candidates within the squared chord `limit`. */
  within(q: Query, limit: number): void {
    const xyz = this.xyz;
    const values = this.values;
    const qx = q.x,
      qy = q.y,
      qz = q.z;
    let max = 0,
      count = 0;
    for (let k = 0; k < this.size; k++) {
      const dx = xyz[3 * k]! - qx,
        dy = xyz[3 * k + 1]! - qy,
        dz = xyz[3 * k + 2]! - qz;
      if (dx * dx + dy * dy + dz * dz <= limit) {
        count++;
        const v = values[k]!;
        if (v > max) max = v;
      }
    }
    q.max = max;
    q.count = count;
  }
}

/** One property's position and the running results of a query. */
class Query {
  lat = 0;
  lon = 0;
  x = 0;
  y = 0;
  z = 0;
  max = 0;
  count = 0;
  bestA = Infinity;
  best = -1;

  setXyz(lat: number, lon: number, x: number, y: number, z: number): void {
    this.lat = lat;
    this.lon = lon;
    this.x = x;
    this.y = y;
    this.z = z;
  }

  set(lat: number, lon: number): void {
    const φ = (lat * Math.PI) / 180;
    const λ = (lon * Math.PI) / 180;
    this.lat = lat;
    this.lon = lon;
    this.x = Math.cos(φ) * Math.cos(λ);
    this.y = Math.cos(φ) * Math.sin(λ);
    this.z = Math.sin(φ);
  }
}

class GridWithValues {
  readonly grid: SpatialGrid;
  private readonly values: Float64Array;

  constructor(points: ReportPoints, cellDeg: number) {
    this.grid = new SpatialGrid(points.lat, points.lon, cellDeg);
    this.values = new Float64Array(this.grid.size);
    for (let k = 0; k < this.grid.size; k++) this.values[k] = points.magnitude[this.grid.order[k]!]!;
  }

  /** Fills `out` with the reports within `radius` miles of q (exact test). */
  collect(q: Query, radius: number, out: Candidates): void {
    out.size = 0;
    const g = this.grid;
    if (g.size === 0) return;
    const dLat = radius / MILES_PER_DEG_LAT;
    if (q.lat + dLat < g.lat0 || q.lat - dLat > g.latEnd) return;
    const dLon = maxLonDeltaDeg(radius, Math.min(90, Math.abs(q.lat) + dLat));
    if (dLon < 180 && (q.lon + dLon < g.lon0 || q.lon - dLon > g.lonEnd)) return;
    const r0 = g.cellRow(q.lat - dLat),
      r1 = g.cellRow(q.lat + dLat);
    const c0 = dLon >= 180 ? 0 : g.cellCol(q.lon - dLon),
      c1 = dLon >= 180 ? g.cols - 1 : g.cellCol(q.lon + dLon);
    const limit = 4 * haversineA(radius);
    const xyz = g.xyz;
    const values = this.values;
    const qx = q.x,
      qy = q.y,
      qz = q.z;
    const cols = g.cols;
    const cellStart = g.cellStart;
    const cx = out.xyz,
      cv = out.values;
    let m = 0;
    for (let r = r0; r <= r1; r++) {
      const end = cellStart[r * cols + c1 + 1]!;
      for (let k = cellStart[r * cols + c0]!; k < end; k++) {
        const x = xyz[3 * k]!,
          y = xyz[3 * k + 1]!,
          z = xyz[3 * k + 2]!;
        const dx = x - qx,
          dy = y - qy,
          dz = z - qz;
        if (dx * dx + dy * dy + dz * dz <= limit) {
          cx[3 * m] = x;
          cx[3 * m + 1] = y;
          cx[3 * m + 2] = z;
          cv[m++] = values[k]!;
        }
      }
    }
    out.size = m;
  }

  /** Index (into the original input) of the nearest report, with q.bestA its haversine "a"; -1 when empty. */
  nearest(q: Query): number {
    const g = this.grid;
    q.bestA = Infinity;
    q.best = -1;
    if (g.size === 0) return -1;
    // Expanding rings around the property's (clamped) cell find a first candidate...
    const pr = g.cellRow(q.lat),
      pc = g.cellCol(q.lon);
    const maxRing = Math.max(g.rows, g.cols);
    for (let ring = 0; ring <= maxRing && q.best === -1; ring++) {
      for (let r = pr - ring; r <= pr + ring; r++) {
        if (r < 0 || r >= g.rows) continue;
        if (r === pr - ring || r === pr + ring) this.scan(q, r, pc - ring, pc + ring);
        else {
          this.scan(q, r, pc - ring, pc - ring);
          if (ring > 0) this.scan(q, r, pc + ring, pc + ring);
        }
      }
    }
    // ...then every cell that could hold something closer is checked, which makes the answer exact.
    const miles = 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(q.bestA))) * (1 + 1e-9) + 1e-9;
    const dLat = miles / MILES_PER_DEG_LAT;
    const dLon = maxLonDeltaDeg(miles, Math.min(90, Math.abs(q.lat) + dLat));
    const r0 = g.cellRow(q.lat - dLat),
      r1 = g.cellRow(q.lat + dLat);
    const c0 = dLon >= 180 ? 0 : g.cellCol(q.lon - dLon),
      c1 = dLon >= 180 ? g.cols - 1 : g.cellCol(q.lon + dLon);
    for (let r = r0; r <= r1; r++) this.scan(q, r, c0, c1);
    return g.order[q.best]!;
  }

  private scan(q: Query, r: number, c0: number, c1: number): void {
    const g = this.grid;
    const from = c0 < 0 ? 0 : c0;
    const to = c1 >= g.cols ? g.cols - 1 : c1;
    if (from > to) return;
    const end = g.cellStart[r * g.cols + to + 1]!;
    const xyz = g.xyz;
    const qx = q.x,
      qy = q.y,
      qz = q.z;
    let bestA = q.bestA,
      best = q.best;
    for (let k = g.cellStart[r * g.cols + from]!; k < end; k++) {
      const dx = xyz[3 * k]! - qx,
        dy = xyz[3 * k + 1]! - qy,
        dz = xyz[3 * k + 2]! - qz;
      const a = (dx * dx + dy * dy + dz * dz) / 4;
      if (a < bestA) {
        bestA = a;
        best = k;
      }
    }
    q.bestA = bestA;
    q.best = best;
  }
}

/** Typed arrays of one kind of parsed report (UNK magnitudes become NaN), ready for `computeExposure`. */
export function toReportPoints(reports: readonly StormReport[], kind: StormReport['kind']): ReportPoints {
  const chosen = reports.filter((r) => r.kind === kind);
  const lat = new Float64Array(chosen.length);
  const lon = new Float64Array(chosen.length);
  const magnitude = new Float64Array(chosen.length);
  chosen.forEach((r, i) => {
    lat[i] = r.lat;
    lon[i] = r.lon;
    magnitude[i] = r.magnitude ?? NaN;
  });
  return { lat, lon, magnitude };
}

/** Typed arrays of property coordinates (NaN where a property has none). */
export function toPropertyPoints(properties: readonly { lat: number | null; lon: number | null }[]): PropertyPoints {
  const lat = new Float64Array(properties.length);
  const lon = new Float64Array(properties.length);
  properties.forEach((p, i) => {
    lat[i] = p.lat ?? NaN;
    lon[i] = p.lon ?? NaN;
  });
  return { lat, lon };
}
