/** Great-circle helpers in statute miles (haversine on a spherical Earth, mean radius). */

export const EARTH_RADIUS_MILES = 3958.7613;
export const DEG = Math.PI / 180;
/** Miles per degree of latitude. */
export const MILES_PER_DEG_LAT = EARTH_RADIUS_MILES * DEG;

/**
 * Haversine distance in miles.
 * @example haversineMiles(35.39, -97.6, 35.38, -97.5) // 5.67526
 */
export function haversineMiles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The haversine "a" for a distance: comparing a's avoids asin/sqrt in inner loops. */
export function haversineA(miles: number): number {
  const s = Math.sin(Math.min(Math.PI / 2, miles / (2 * EARTH_RADIUS_MILES)));
  return s * s;
}

/** Distance in miles from a haversine "a". */
export function milesFromA(a: number): number {
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Largest longitude difference (degrees) two points within `miles` of each other can have when both lie at
 * |latitude| <= maxAbsLat; 180 when the circle reaches a pole.
 */
export function maxLonDeltaDeg(miles: number, maxAbsLat: number): number {
  const s = Math.sin(miles / (2 * EARTH_RADIUS_MILES)) / Math.cos(Math.min(90, maxAbsLat) * DEG);
  return s >= 1 ? 180 : (2 * Math.asin(s)) / DEG;
}
