/**
 * `virtual:map-outlines`: the state and county outlines, meshed from us-atlas's TopoJSON at build time (Node), so
 * the browser neither downloads 842 KB of TopoJSON nor spends 0.5-0.7 s meshing 3,141 counties on its main thread
 * (`npm run bench web`, docs/web.md). Coordinates are rounded to 1e-4 degree (about 10 m), plenty for a county line.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';

const ID = 'virtual:map-outlines';
const RESOLVED = `\0${ID}`;

function outlines(): { counties: number[][][]; states: number[][][] } {
  const file = createRequire(import.meta.url).resolve('us-atlas/counties-10m.json');
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Topology<{
    counties: GeometryCollection;
    states: GeometryCollection;
  }>;
  const round = (lines: number[][][]) =>
    lines.map((line) => line.map(([x, y]) => [Math.round(x! * 1e4) / 1e4, Math.round(y! * 1e4) / 1e4]));
  return {
    counties: round(mesh(topo, topo.objects.counties, (a, b) => a !== b).coordinates),
    states: round(mesh(topo, topo.objects.states, (a, b) => a !== b).coordinates),
  };
}

export function mapOutlines(): Plugin {
  let code: string | undefined;
  return {
    name: 'stormops-map-outlines',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      // JSON.parse of one string literal: faster for V8 to load than the same data as an object literal.
      code ??= `export default JSON.parse(${JSON.stringify(JSON.stringify(outlines()))});`;
      return code;
    },
  };
}
