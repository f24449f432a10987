import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

/** Which database engine a store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | boolean | null | bigint | readonly unknown[];

/**
 * Raw SQL access for the store's own fast paths (bulk loads, aggregates, migrations).
 * Statements use `?` placeholders on both engines; PostgreSQL gets them renumbered.
 */
export interface SqlClient {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs one statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; the client passed in is bound to it. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SqlClient over one better-sqlite3 connection. */
export function sqliteClient(db: BetterSqlite3.Database): SqlClient {
  let depth = 0;
  // Preparing costs more than running a simple insert, so statements are kept by their text.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, st);
    }
    return st;
  };
  const client: SqlClient = {
    dialect: 'sqlite',
    async all<T>(sql: string, params: readonly SqlParam[] = []) {
      // better-sqlite3 runs on the main thread; letting pending I/O in first keeps the Slack
      // receiver acknowledging requests within its 3 s while queries queue up behind them.
      if (depth === 0) await new Promise<void>((r) => setImmediate(r));
      return prepare(sql).all(...(params as unknown[])) as T[];
    },
    async run(sql, params = []) {
      return prepare(sql).run(...(params as unknown[])).changes;
    },
    async exec(sql) {
      db.exec(sql);
    },
    async transaction(fn) {
      // better-sqlite3 transactions cannot span awaits, so the transaction is managed by hand;
      // nested calls join the outer one.
      if (depth > 0) return fn(client);
      db.exec('BEGIN IMMEDIATE');
      depth++;
      try {
        const result = await fn(client);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    },
    async close() {
      db.close();
    },
  };
  return client;
}

/** SqlClient over a pg pool, or over one checked-out connection inside a transaction. */
export function pgClient(pool: pg.Pool, conn?: pg.PoolClient): SqlClient {
  const target = conn ?? pool;
  return {
    dialect: 'postgres',
    async all<T>(sql: string, params: readonly SqlParam[] = []) {
      return (await target.query(numberPlaceholders(sql), params as unknown[])).rows as T[];
    },
    async run(sql, params = []) {
      return (await target.query(numberPlaceholders(sql), params as unknown[])).rowCount ?? 0;
    },
    async exec(sql) {
      await target.query(sql);
    },
    async transaction(fn) {
      if (conn) return fn(pgClient(pool, conn));
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(pgClient(pool, c));
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        c.release();
      }
    },
    async close() {
      if (!conn) await pool.end();
    },
  };
}

/** Rewrites `?` placeholders to `$1, $2, …`, leaving quoted text alone. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}
