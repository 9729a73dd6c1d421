/**
 * Field builders every input schema uses, so hostile values stop at validation with the field named instead of
 * reaching Postgres (where they were 500s): text refuses NUL characters (Postgres text cannot hold U+0000: 22021 /
 * 22P05), and every integer is bounded to the range of the column it lands in (int4 unless said otherwise: 22003).
 */
import { z } from 'zod';

export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;

const NUL_MESSAGE = 'must not contain NUL (\\u0000) characters';

/** A text field: any string without NUL characters. Chain `.min()`, `.max()`, `.regex()` as on `z.string()`. */
export function text(): z.ZodString {
  return z.string().refine((s) => !s.includes('\u0000'), NUL_MESSAGE);
}

/** An integer that fits an int4 column. */
export function int4(): z.ZodNumber {
  return z.number().int().min(INT4_MIN).max(INT4_MAX);
}

/** An integer that fits an int8 column and a JavaScript number exactly (money in cents, counts). */
export function safeInt(): z.ZodNumber {
  return z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
}

/** A query-string integer (`?limit=10`) that fits an int4 column. */
export function queryInt4(): z.ZodCoercedNumber<number | string> {
  return z.coerce.number<number | string>().int().min(INT4_MIN).max(INT4_MAX);
}
