/**
 * A uniform lat/lon grid over a set of points (CSR layout: points sorted by cell, `cellStart` offsets), for
 * radius and nearest-neighbour queries without a cross join. Points are copied in cell order for locality.
 */
export class SpatialGrid {
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /**
   * Unit vectors, interleaved x,y,z per point: squared chord / 4 between two points is the haversine "a", with no
   * trigonometry per pair.
   */
  readonly xyz: Float64Array;
  /** Original index of each sorted point. */
  readonly order: Int32Array;
  readonly cellStart: Int32Array;
  readonly rows: number;
  readonly cols: number;
  readonly lat0: number;
  readonly lon0: number;

  constructor(
    lat: ArrayLike<number>,
    lon: ArrayLike<number>,
    readonly cellDeg: number,
  ) {
    const n = lat.length;
    let minLat = Infinity,
      maxLat = -Infinity,
      minLon = Infinity,
      maxLon = -Infinity;
    for (let i = 0; i < n; i++) {
      const a = lat[i]!,
        o = lon[i]!;
      if (a < minLat) minLat = a;
      if (a > maxLat) maxLat = a;
      if (o < minLon) minLon = o;
      if (o > maxLon) maxLon = o;
    }
    if (n === 0) minLat = maxLat = minLon = maxLon = 0;
    // Keep the dense grid bounded (about 4M cells) however wide the points spread.
    let cell = cellDeg;
    while (((maxLat - minLat) / cell + 1) * ((maxLon - minLon) / cell + 1) > 4_000_000) cell *= 2;
    this.cellDeg = cell;
    this.lat0 = minLat;
    this.lon0 = minLon;
    this.rows = Math.floor((maxLat - minLat) / cell) + 1;
    this.cols = Math.floor((maxLon - minLon) / cell) + 1;
    const cells = this.rows * this.cols;
    const cellOf = new Int32Array(n);
    const counts = new Int32Array(cells + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellRow(lat[i]!) * this.cols + this.cellCol(lon[i]!);
      cellOf[i] = c;
      counts[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) counts[c + 1]! += counts[c]!;
    this.cellStart = counts;
    const fill = counts.slice(0, cells);
    this.order = new Int32Array(n);
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.xyz = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const at = fill[cellOf[i]!]!++;
      this.order[at] = i;
      this.lat[at] = lat[i]!;
      this.lon[at] = lon[i]!;
      const φ = (lat[i]! * Math.PI) / 180;
      const λ = (lon[i]! * Math.PI) / 180;
      this.xyz[3 * at] = Math.cos(φ) * Math.cos(λ);
      this.xyz[3 * at + 1] = Math.cos(φ) * Math.sin(λ);
      this.xyz[3 * at + 2] = Math.sin(φ);
    }
  }

  /** Latitude of the grid's top edge. */
  get latEnd(): number {
    return this.lat0 + this.rows * this.cellDeg;
  }

  get lonEnd(): number {
    return this.lon0 + this.cols * this.cellDeg;
  }

  get size(): number {
    return this.order.length;
  }

  /** Grid row of a latitude, clamped into the grid. */
  cellRow(lat: number): number {
    const r = Math.floor((lat - this.lat0) / this.cellDeg);
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r;
  }

  cellCol(lon: number): number {
    const c = Math.floor((lon - this.lon0) / this.cellDeg);
    return c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c;
  }
}
