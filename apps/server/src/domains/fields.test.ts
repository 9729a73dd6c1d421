import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, fromDatabaseError } from '../errors.ts';
import { INT4_MAX, int4, queryInt4, safeInt, text } from './fields.ts';

describe('schema fields', () => {
  it('text refuses NUL characters and keeps its chained limits', () => {
    const name = text().min(1).max(5);
    expect(name.safeParse('ok').success).toBe(true);
    const r = name.safeParse('a\u0000b');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/NUL/);
    expect(name.safeParse('toolong').success).toBe(false);
  });

  it('integers stay inside their column range', () => {
    expect(int4().safeParse(INT4_MAX).success).toBe(true);
    expect(int4().safeParse(INT4_MAX + 1).success).toBe(false);
    expect(int4().safeParse(99_999_999_999).success).toBe(false);
    expect(queryInt4().safeParse('2147483648').success).toBe(false);
    expect(queryInt4().safeParse('12').data).toBe(12);
    expect(safeInt().safeParse(2 ** 53).success).toBe(false);
    expect(z.object({ v: int4() }).safeParse({ v: 1.5 }).success).toBe(false);
  });
});

describe('database error mapping', () => {
  const pgError = (code: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`pg says ${code}`), { code, ...extra });

  it('maps every class 22 and 23 SQLSTATE to a 4xx naming the problem', () => {
    for (const code of ['22021', '22P05', '22003', '22001', '22P02', '22007', '22008', '22012', '22999']) {
      const e = fromDatabaseError(pgError(code));
      expect(e?.httpStatus, code).toBe(400);
      expect(e?.details?.['sqlstate']).toBe(code);
    }
    expect(fromDatabaseError(pgError('22003'))?.message).toMatch(/out of range/);
    expect(fromDatabaseError(pgError('23505', { detail: 'Key (x)=(1) already exists.' }))?.httpStatus).toBe(409);
    expect(fromDatabaseError(pgError('23503'))?.httpStatus).toBe(404);
    const notNull = fromDatabaseError(pgError('23502', { column: 'name' }));
    expect(notNull?.httpStatus).toBe(400);
    expect(notNull?.message).toMatch(/^name: /);
    expect(fromDatabaseError(pgError('23999'))?.httpStatus).toBe(400);
  });

  it('a lost connection is 503, anything else stays internal', () => {
    expect(fromDatabaseError(pgError('57P01'))?.code).toBe('DATABASE_UNAVAILABLE');
    expect(fromDatabaseError(new Error('Connection terminated unexpectedly'))?.httpStatus).toBe(503);
    expect(fromDatabaseError(pgError('ECONNREFUSED'))?.httpStatus).toBe(503);
    expect(fromDatabaseError(pgError('42P01'))).toBeUndefined();
    expect(fromDatabaseError(new AppError('NOT_FOUND', 'x'))).toBeUndefined();
  });
});
