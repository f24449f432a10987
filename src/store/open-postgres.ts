// The PostgreSQL side of openDatabase: a pg pool for raw SQL, Prisma through its pg adapter for
// records. Imported only when DATABASE_URL is a `postgres://` URL.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PgPrismaClient } from './generated/pg/client.ts';
import { CrmPulseError } from '../lib/errors.ts';
import { redactUrl } from '../lib/redact-url.ts';
import { pgClient } from './sql-client.ts';
import { guardPrisma, guardSql } from './guard-storage.ts';
import type { Database, Prisma } from './open-database.ts';

// Timestamps are stored as UTC wall time in `timestamp(3)` columns (Prisma's default), so they
// are parsed as UTC here whatever the process time zone is; counts and sums come back as numbers.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1114) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** Connects to the PostgreSQL server at `url` (checked with one connection before it returns). */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: pgTypes, connectionTimeoutMillis: 5000 });
  // An idle connection that drops (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CrmPulseError('storage', `[store] cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
      hint: 'check that the server is running and DATABASE_URL is right',
      retryable: true,
      cause: error,
    });
  }
  // A server that goes away later surfaces as a retryable storage error, and both pools make new
  // connections when it is back, so the bot recovers without a restart.
  const displayUrl = redactUrl(url);
  const prisma = guardPrisma(
    new PgPrismaClient({ adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5000 }) }),
    displayUrl,
  ) as unknown as Prisma;
  return {
    dialect: 'postgres',
    prisma,
    sql: guardSql(pgClient(pool), displayUrl),
    displayUrl,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
