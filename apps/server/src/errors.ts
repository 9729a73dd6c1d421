/**
 * One error type for the whole platform. Services throw `AppError` with a code; the HTTP layer and the CLI map the
 * code to a status and an exit code through the single table below. Never throw HTTP errors from services.
 */
export const ERROR_CODES = {
  VALIDATION: { http: 400, exit: 2 },
  CONFIG_INVALID: { http: 500, exit: 2 },
  UNAUTHENTICATED: { http: 401, exit: 2 },
  FORBIDDEN: { http: 403, exit: 2 },
  TENANT_SUSPENDED: { http: 403, exit: 2 },
  FEATURE_DISABLED: { http: 403, exit: 2 },
  CSRF_FAILED: { http: 403, exit: 2 },
  QUOTA_EXCEEDED: { http: 402, exit: 2 },
  NOT_FOUND: { http: 404, exit: 2 },
  CONFLICT: { http: 409, exit: 2 },
  INVALID_TRANSITION: { http: 409, exit: 2 },
  PAYLOAD_TOO_LARGE: { http: 413, exit: 2 },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, exit: 2 },
  RATE_LIMITED: { http: 429, exit: 2 },
  UPSTREAM_FAILED: { http: 502, exit: 3 },
  DATA_DIR_LOCKED: { http: 503, exit: 3 },
  DATABASE_UNAVAILABLE: { http: 503, exit: 3 },
  MIGRATION_FAILED: { http: 500, exit: 3 },
  INTERNAL: { http: 500, exit: 1 },
} as const satisfies Record<string, { http: number; exit: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${what} ${id} not found`, { [`${what}_id`]: id });
}

/** SQLSTATE class 23 (integrity constraints) by code: which platform error each one is. */
const INTEGRITY: Record<string, { code: ErrorCode; what: string }> = {
  '23505': { code: 'CONFLICT', what: 'already exists' },
  '23P01': { code: 'CONFLICT', what: 'conflicts with an existing record' },
  '23001': { code: 'CONFLICT', what: 'is still referenced' },
  '23503': { code: 'NOT_FOUND', what: 'a referenced record does not exist' },
  '23502': { code: 'VALIDATION', what: 'a required value is missing' },
  '23514': { code: 'VALIDATION', what: 'a value is out of its allowed range' },
};

/** What Postgres says about 22xxx data errors a caller can cause, in the caller's terms. */
const DATA_ERRORS: Record<string, string> = {
  '22021': 'text must not contain NUL (\\u0000) characters or invalid UTF-8',
  '22P05': 'text must not contain NUL (\\u0000) characters',
  '22003': 'a number is out of range',
  '22001': 'a text value is too long',
  '22P02': 'a value has the wrong form',
  '22007': 'a date or time has the wrong form',
  '22008': 'a date or time is out of range',
  '22012': 'division by zero',
  '2200D': 'invalid escape octet',
  '22023': 'invalid parameter value',
};

/** Connection-level failures: the database went away (class 08, admin shutdown 57P01-03) or cannot be reached. */
export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (/^08/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300')) return true;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'].includes(code))
    return true;
  const message = (err as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection is closed|Client has encountered a connection error|not queryable|not currently accepting connections|database system is (starting up|shutting down)/i.test(
      message,
    )
  );
}

/**
 * The one place that maps database errors a caller can cause to 4xx: every SQLSTATE of class 22 (data exceptions:
 * invalid byte sequences, numeric range, string length, ...) and class 23 (integrity constraints), naming the column
 * or constraint when Postgres does; a lost connection is DATABASE_UNAVAILABLE (503). Anything else stays internal.
 */
export function fromDatabaseError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  if (isConnectionError(err))
    return new AppError('DATABASE_UNAVAILABLE', 'the database is unavailable; retry shortly', { retryable: true });
  if (!('code' in err)) return undefined;
  const e = err as { code?: unknown; detail?: unknown; constraint?: unknown; message?: unknown; column?: unknown };
  if (typeof e.code !== 'string') return undefined;
  const sqlstate = e.code;
  const detail = typeof e.detail === 'string' ? e.detail : undefined;
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined;
  const column = typeof e.column === 'string' ? e.column : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const where = { sqlstate, ...(constraint ? { constraint } : {}), ...(column ? { field: column } : {}) };
  if (sqlstate === '42501') return new AppError('FORBIDDEN', 'not permitted by tenant isolation');
  // A state a trigger refuses to leave (billing: a closed period's records are immutable).
  if (sqlstate === '55000') return new AppError('INVALID_TRANSITION', message);
  if (sqlstate.startsWith('23')) {
    const known = INTEGRITY[sqlstate] ?? { code: 'VALIDATION' as const, what: 'violates a data rule' };
    const said = known.code === 'CONFLICT' ? (detail ?? known.what) : message || known.what;
    return new AppError(known.code, column ? `${column}: ${said}` : said, where);
  }
  if (sqlstate.startsWith('22')) {
    const what = DATA_ERRORS[sqlstate] ?? 'invalid value';
    // Postgres' own message names the value or type ("value "2147483648" is out of range for type integer").
    return new AppError('VALIDATION', `${column ? `${column}: ` : ''}${what}${message ? ` (${message})` : ''}`, where);
  }
  return undefined;
}
