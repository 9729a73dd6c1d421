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

/** Postgres SQLSTATEs a user can cause, mapped to platform errors; anything else stays internal. */
export function fromDatabaseError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const e = err as { code?: unknown; detail?: unknown; constraint?: unknown; message?: unknown };
  const detail = typeof e.detail === 'string' ? e.detail : undefined;
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined;
  switch (e.code) {
    case '23505':
      return new AppError('CONFLICT', detail ?? 'already exists', { constraint });
    case '23503':
      return new AppError('NOT_FOUND', 'a referenced record does not exist', { constraint });
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
      return new AppError('VALIDATION', String(e.message), { constraint });
    case '55000':
      return new AppError('INVALID_TRANSITION', String(e.message));
    case '42501':
      return new AppError('FORBIDDEN', 'not permitted by tenant isolation');
    default:
      return undefined;
  }
}
