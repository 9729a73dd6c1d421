/** The formats a pilot report renders in. */
export const PILOT_FORMATS = ['md', 'html', 'pdf', 'json'] as const;
export type PilotFormat = (typeof PILOT_FORMATS)[number];
