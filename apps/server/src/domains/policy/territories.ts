/**
 * Crew geography, pure and deterministic: recursive bisection splits the treat list into compact territories of
 * near-equal size (cut along the longer side at the count-proportional median), and a walking order visits each
 * territory nearest-neighbour first (Hilbert-curve order above a size where the quadratic walk gets slow).
 */

export interface Door {
  property_id: string;
  lat: number;
  lon: number;
}

const KM_PER_DEG = 111.32;
/** Above this many doors a territory is ordered along a Hilbert curve instead of nearest neighbour (O(n^2)). */
const NEAREST_NEIGHBOUR_MAX = 4000;

function byKey(a: Door, b: Door, key: 'lat' | 'lon'): number {
  return a[key] - b[key] || (a.property_id < b.property_id ? -1 : a.property_id > b.property_id ? 1 : 0);
}

/** Splits doors into `k` compact groups whose sizes differ by at most one (k >= 1). */
export function splitTerritories(doors: readonly Door[], k: number): Door[][] {
  if (k <= 1 || doors.length === 0) return [doors.slice()].concat(Array.from({ length: Math.max(0, k - 1) }, () => []));
  let minLat = Infinity,
    maxLat = -Infinity,
    minLon = Infinity,
    maxLon = -Infinity;
  for (const d of doors) {
    minLat = Math.min(minLat, d.lat);
    maxLat = Math.max(maxLat, d.lat);
    minLon = Math.min(minLon, d.lon);
    maxLon = Math.max(maxLon, d.lon);
  }
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const key: 'lat' | 'lon' = (maxLon - minLon) * cos > maxLat - minLat ? 'lon' : 'lat';
  const sorted = doors.slice().sort((a, b) => byKey(a, b, key));
  const left = Math.floor(k / 2);
  const cut = Math.round((sorted.length * left) / k);
  return [...splitTerritories(sorted.slice(0, cut), left), ...splitTerritories(sorted.slice(cut), k - left)];
}

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const cos = Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot((a.lat - b.lat) * KM_PER_DEG, (a.lon - b.lon) * KM_PER_DEG * cos);
}

/** Position of (x, y) in [0, n)^2 along a Hilbert curve of side n (a power of two). */
function hilbertIndex(n: number, x: number, y: number): number {
  let d = 0;
  for (let s = n >> 1; s > 0; s >>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = n - 1 - x;
        y = n - 1 - y;
      }
      [x, y] = [y, x];
    }
  }
  return d;
}

function hilbertOrder(doors: readonly Door[]): Door[] {
  const n = 1 << 16;
  let minLat = Infinity,
    maxLat = -Infinity,
    minLon = Infinity,
    maxLon = -Infinity;
  for (const d of doors) {
    minLat = Math.min(minLat, d.lat);
    maxLat = Math.max(maxLat, d.lat);
    minLon = Math.min(minLon, d.lon);
    maxLon = Math.max(maxLon, d.lon);
  }
  const span = Math.max(maxLat - minLat, maxLon - minLon) || 1;
  const keyed = doors.map((d) => ({
    d,
    h: hilbertIndex(
      n,
      Math.floor(((d.lon - minLon) / span) * (n - 1)),
      Math.floor(((d.lat - minLat) / span) * (n - 1)),
    ),
  }));
  keyed.sort((a, b) => a.h - b.h || (a.d.property_id < b.d.property_id ? -1 : 1));
  return keyed.map((k) => k.d);
}

/** A walking order: start at the south-west-most door, then always the nearest unvisited one (ties by id). */
export function walkingOrder(doors: readonly Door[]): Door[] {
  if (doors.length > NEAREST_NEIGHBOUR_MAX) return hilbertOrder(doors);
  const left = doors
    .slice()
    .sort((a, b) => a.lat + a.lon - (b.lat + b.lon) || (a.property_id < b.property_id ? -1 : 1));
  const route: Door[] = [];
  let current = left.shift();
  while (current) {
    route.push(current);
    let best = -1;
    let bestKm = Infinity;
    for (let i = 0; i < left.length; i++) {
      const km = distanceKm(current, left[i]!);
      if (km < bestKm || (km === bestKm && left[i]!.property_id < left[best]!.property_id)) {
        best = i;
        bestKm = km;
      }
    }
    current = best >= 0 ? left.splice(best, 1)[0] : undefined;
  }
  return route;
}

export function routeKm(route: readonly Door[]): number {
  let km = 0;
  for (let i = 1; i < route.length; i++) km += distanceKm(route[i - 1]!, route[i]!);
  return km;
}
