/**
 * Kysely over a bulk transaction (bulk.ts): the typed query builder inside the transaction a COPY-based import already
 * holds, so a repo function written for `withTenant` (billing's metering, say) runs in the import's own transaction.
 * It never begins or ends a transaction: the bulk runner owns that.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { BulkTx } from './bulk.ts';
import type { DB } from './schema.ts';

class BulkConnection implements DatabaseConnection {
  constructor(private readonly tx: BulkTx) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: await this.tx.query<R>(q.sql, [...q.parameters]) };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not available inside a bulk transaction');
  }
}

class BulkDriver implements Driver {
  constructor(private readonly tx: BulkTx) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new BulkConnection(this.tx);
  }
  async beginTransaction(): Promise<void> {
    throw new Error('already inside the bulk transaction');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('the bulk runner commits');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('the bulk runner rolls back');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** A query builder whose every statement runs in `tx`. */
export function kyselyIn(tx: BulkTx): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new BulkDriver(tx),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}
