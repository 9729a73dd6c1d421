/** Storm-report inputs, shared by the SDK, the CLI and the HTTP routes (one schema per operation, snake_case). */
import { z } from 'zod';
import { text } from '../fields.ts';
import { stormId } from '../storms/storms.schema.ts';
import { DEFAULT_EXPOSURE_RADIUS_MILES } from './exposure.ts';

/** Exposure radius in miles: a positive distance up to 100 (beyond that every home is "exposed"). */
const radius = z.coerce
  .number<number | string>()
  .positive('must be a positive number of miles')
  .max(100, 'must be at most 100 miles')
  .default(DEFAULT_EXPOSURE_RADIUS_MILES)
  .describe('exposure radius in miles');

/** The query string of `POST /storms/{storm_id}/reports`: the file's name, its day, the radius. */
export const reportFileOptions = z
  .object({
    file_name: text().min(1).max(200).describe('e.g. 130520_rpts_hail.csv (gives the convective day)'),
    date: z.iso
      .date({ error: (i) => `${JSON.stringify(i.input)} is not an ISO 8601 date (YYYY-MM-DD)` })
      .optional()
      .describe('convective day, when the file name does not start with YYMMDD'),
    radius,
  })
  .strict();

/** `stormReports.import(...)`, `storm reports import`: the file's text (SPC daily files are a few hundred rows). */
export const importReportsInput = reportFileOptions.extend({ storm_id: stormId, text: z.string() }).strict();
export type ImportReportsInput = z.input<typeof importReportsInput>;

/** `POST /storms/{storm_id}/exposure`'s body. */
export const exposureOptions = z.object({ radius }).strict();

/** `stormReports.recomputeExposure(...)`, `storm reports exposure`. */
export const recomputeExposureInput = exposureOptions.extend({ storm_id: stormId }).strict();
export type RecomputeExposureInput = z.input<typeof recomputeExposureInput>;
