/** What a knock can end in (the knock log's result column). */
export const KNOCK_RESULTS = ['no_answer', 'not_interested', 'inspection_booked', 'signed'] as const;
