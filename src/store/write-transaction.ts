import type { Database, Prisma } from './open-database.ts';

/** The client inside a transaction. */
export type WriteTx = Omit<Prisma, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

// A statement that writes nothing but makes SQLite take the write lock.
const TAKE_WRITE_LOCK = 'UPDATE "_crm_pulse_migrations" SET "name" = "name" WHERE 0 = 1';

/**
 * An interactive transaction that writes. On SQLite it takes the write lock first, as BEGIN
 * IMMEDIATE would: a deferred transaction that reads before another connection commits (the
 * ingest's write thread, a second process, a `/kpi ack`) can then no longer write at all in WAL
 * mode (SQLITE_BUSY_SNAPSHOT, "database is locked", which no busy timeout waits out), whereas
 * waiting for the lock is what the busy timeout is for. PostgreSQL needs nothing of the kind.
 * See https://www.sqlite.org/lang_transaction.html and https://www.sqlite.org/wal.html#busy.
 * @example await writeTransaction(db, async (tx) => { const e = await tx.alertEpisode.findUniqueOrThrow(…); await tx.alertEpisode.update(…); });
 */
export function writeTransaction<T>(db: Database, fn: (tx: WriteTx) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T> {
  return db.prisma.$transaction(async (tx) => {
    if (db.dialect === 'sqlite') await tx.$executeRawUnsafe(TAKE_WRITE_LOCK);
    return fn(tx);
  }, options);
}
