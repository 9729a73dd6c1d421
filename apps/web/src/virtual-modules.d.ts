/** The build's meshed outlines (apps/web/outlines.plugin.ts). */
declare module 'virtual:map-outlines' {
  const outlines: { counties: number[][][]; states: number[][][] };
  export default outlines;
}
