/**
 * State and county outlines from us-atlas (Census Bureau TopoJSON, shipped with the app: no tile server), meshed at
 * build time (outlines.plugin.ts) into line strings in longitude and latitude. Loaded once, as their own chunk, only
 * by pages with a map.
 */
export interface Outlines {
  counties: number[][][];
  states: number[][][];
}

let loading: Promise<Outlines> | undefined;

export function loadOutlines(): Promise<Outlines> {
  loading ??= import('virtual:map-outlines').then((m) => m.default);
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
