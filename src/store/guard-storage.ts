import type { SqlClient } from './sql-client.ts';
import { asStorageError } from './storage-error.ts';

/**
 * The Prisma client with every query, and `$transaction`, turning a lost database into the
 * storage CrmPulseError of asStorageError. Other errors pass through unchanged.
 */
export function guardPrisma<P extends { $extends: (...a: never[]) => unknown }>(prisma: P, displayUrl: string): P {
  const map = (error: unknown) => asStorageError(error, displayUrl);
  const extended = (prisma as unknown as { $extends(e: unknown): Record<string | symbol, unknown> }).$extends({
    query: {
      async $allOperations({ args, query }: { args: unknown; query: (a: unknown) => Promise<unknown> }) {
        try {
          return await query(args);
        } catch (error) {
          throw map(error);
        }
      },
    },
  });
  // $transaction is no operation of the extension: starting one on a lost connection fails there.
  return new Proxy(extended, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key !== '$transaction' || typeof value !== 'function') return value;
      return (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => Promise.reject(map(error)));
    },
  }) as unknown as P;
}

/** The SQL client with a lost database turned into the storage CrmPulseError of asStorageError. */
export function guardSql(sql: SqlClient, displayUrl: string): SqlClient {
  const map = (error: unknown) => asStorageError(error, displayUrl);
  return {
    dialect: sql.dialect,
    all: (text, params) => sql.all(text, params).catch((error: unknown) => Promise.reject(map(error))),
    run: (text, params) => sql.run(text, params).catch((error: unknown) => Promise.reject(map(error))),
    exec: (text) => sql.exec(text).catch((error: unknown) => Promise.reject(map(error))),
    transaction: (fn) => sql.transaction(fn).catch((error: unknown) => Promise.reject(map(error))),
    close: () => sql.close(),
  } as SqlClient;
}
