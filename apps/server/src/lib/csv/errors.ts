/**
 * Errors of reading a table (CSV or JSON Lines). A structural problem with the file (it cannot be read as a table) is
 * thrown as one `ImportError`; a problem with one value is collected as a `RowError` so a user sees every bad row at
 * once. `importErrorToAppError` is how every caller reports an `ImportError`: VALIDATION naming file, row and column.
 */
import { AppError } from '../../errors.ts';

/** File-level problems: the import cannot go on. */
export type ImportErrorCode =
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'BINARY_FILE'
  | 'UNSUPPORTED_ENCODING'
  | 'INVALID_UTF8'
  | 'UNTERMINATED_QUOTE'
  | 'INVALID_QUOTE'
  | 'LINE_TOO_LONG'
  | 'FIELD_COUNT'
  | 'MIXED_DELIMITERS'
  | 'DUPLICATE_HEADER'
  | 'MISSING_REQUIRED_COLUMN'
  | 'MAPPING_COLUMN_NOT_FOUND'
  | 'UNKNOWN_MAPPING_FIELD'
  | 'INVALID_JSON'
  | 'JSON_TOO_DEEP';

/** Value-level problems, collected per row. */
export type RowErrorCode =
  | 'REQUIRED'
  | 'INVALID_NUMBER'
  | 'OUT_OF_RANGE'
  | 'INVALID_STATE'
  | 'INVALID_ZIP'
  | 'INVALID_BOOLEAN'
  | 'INVALID_MONEY'
  | 'INVALID_PHONE'
  | 'INVALID_EMAIL'
  | 'INCOMPLETE_COORDINATES'
  | 'TOO_LONG'
  | 'DUPLICATE_ADDRESS';

export interface ImportErrorInit {
  code: ImportErrorCode;
  message: string;
  /** 1-based line of the file where the offending record starts (header = 1 for CSV). */
  row?: number;
  /** Header name of the offending column, when known. */
  column?: string;
  /** The offending value, truncated to 200 characters. */
  value?: string;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly code: ImportErrorCode;
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly value: string | undefined;

  constructor(init: ImportErrorInit) {
    super(init.row === undefined ? init.message : `row ${init.row}: ${init.message}`);
    this.code = init.code;
    this.row = init.row;
    this.column = init.column;
    this.value = init.value === undefined ? undefined : truncateValue(init.value);
  }

  /** Plain object for an API body or a log line. */
  toJSON(): { code: ImportErrorCode; message: string; row?: number; column?: string; value?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.row === undefined ? {} : { row: this.row }),
      ...(this.column === undefined ? {} : { column: this.column }),
      ...(this.value === undefined ? {} : { value: this.value }),
    };
  }
}

export interface RowError {
  /** 1-based line where the record starts (CSV header = 1; JSON Lines first line = 1). */
  row: number;
  /** Header name as written in the file (or the field name when no column applies). */
  column: string;
  value: string;
  code: RowErrorCode;
  reason: string;
}

export function truncateValue(value: string, max = 200): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

/** The VALIDATION error a user sees for a file that cannot be read: "<file>, row <n>, column <c>: <what>". */
export function importErrorToAppError(err: ImportError, sourceName: string | undefined): AppError {
  const where = [
    sourceName,
    err.row !== undefined ? `row ${err.row}` : undefined,
    err.column ? `column ${err.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return new AppError('VALIDATION', `${where ? `${where}: ` : ''}${err.message.replace(/^row \d+: /, '')}`, {
    file: sourceName ?? null,
    code: err.code,
    row: err.row ?? null,
    column: err.column ?? null,
    value: err.value ?? null,
  });
}
