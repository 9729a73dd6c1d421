/** Parses service input with a zod schema; a failure becomes one VALIDATION error naming the field. */
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export function parse<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    field: [field, ...i.path.map(String)].filter(Boolean).join('.') || undefined,
    message: i.message,
  }));
  const first = issues[0];
  const where = first?.field ? `${first.field}: ` : '';
  throw new AppError('VALIDATION', `${where}${first?.message ?? 'invalid input'}`, { issues });
}
