/** The storm map's one input: the storm. */
import { z } from 'zod';
import { stormId } from '../storms/storms.schema.ts';

export const stormMapParams = z.object({ storm_id: stormId }).strict();
