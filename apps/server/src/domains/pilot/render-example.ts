/**
 * Renders the example pilot report (a seeded simulated campaign: 5,000 treat / 1,250 hold, about 12 points of true
 * lift) in every format, for people to look at:
 *   npx tsx apps/server/src/domains/pilot/render-example.ts [out-dir]   (default /tmp/stormops-pilot-example)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computePilotResults } from './pilot.compute.ts';
import { PILOT_FORMATS, PILOT_MEDIA, renderPilot } from './pilot.render.ts';
import { simulatePilotInputs } from './pilot.simulate.ts';

/** Writes inputs.json and pilot.{json,md,html,pdf} into `dir`; returns the paths. */
export async function renderExample(dir: string, seed?: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const inputs = simulatePilotInputs(seed === undefined ? {} : { seed });
  const results = computePilotResults(inputs);
  const paths = [join(dir, 'inputs.json')];
  await writeFile(paths[0]!, JSON.stringify(inputs, null, 2));
  for (const format of PILOT_FORMATS) {
    const path = join(dir, `pilot.${PILOT_MEDIA[format].ext}`);
    await writeFile(path, await renderPilot(results, format));
    paths.push(path);
  }
  return paths;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const dir = process.argv[2] ?? '/tmp/stormops-pilot-example';
  for (const p of await renderExample(dir)) process.stdout.write(`${p}\n`);
}
