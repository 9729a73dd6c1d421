/**
 * State and county outlines from us-atlas (Census Bureau TopoJSON, shipped with the app: no tile server). The file
 * is fetched once, only by pages with a map, and kept as line strings in longitude and latitude.
 */
import { mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countiesUrl from 'us-atlas/counties-10m.json?url';

export interface Outlines {
  counties: number[][][];
  states: number[][][];
}

let loading: Promise<Outlines> | undefined;

export function loadOutlines(): Promise<Outlines> {
  loading ??= fetch(countiesUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`map outlines: ${r.status}`);
      return r.json() as Promise<Topology<{ counties: GeometryCollection; states: GeometryCollection }>>;
    })
    .then((topo) => ({
      counties: mesh(topo, topo.objects.counties, (a, b) => a !== b).coordinates,
      states: mesh(topo, topo.objects.states, (a, b) => a !== b).coordinates,
    }));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
