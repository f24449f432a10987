// On SQLite a write transaction takes the write lock first: another connection's commit can no
// longer slip between its reads and its writes and make it fail (SQLITE_BUSY_SNAPSHOT in WAL mode).
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/open-database.ts';
import { writeTransaction } from '../../src/store/write-transaction.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

describe('writeTransaction on SQLite', () => {
  let test: MigratedDb;
  let db: Database;
  beforeAll(async () => {
    test = await migratedDb();
    db = test.db;
  });
  afterAll(async () => {
    await test?.close();
  });

  it('holds the write lock from its start, so a read-then-write never meets a foreign commit', async () => {
    const ep = await db.prisma.alertEpisode.create({
      data: {
        rule: 'r',
        seriesKey: '',
        kpi: 'won_revenue',
        kind: 'kpi',
        severity: 'warning',
        currentSeverity: 'warning',
        startedAt: new Date(),
        seen: '[]',
        summary: 'before',
      },
    });
    const other = new Sqlite(db.sqliteFile!);
    other.pragma('busy_timeout = 100');
    const otherWrite = () => other.prepare('UPDATE "alert_episodes" SET "summary" = ? WHERE "id" = ?').run('other', ep.id);
    let blocked: string | undefined;
    await writeTransaction(db, async (tx) => {
      await tx.alertEpisode.findUniqueOrThrow({ where: { id: ep.id } });
      try {
        otherWrite();
      } catch (error) {
        blocked = (error as Error).message;
      }
      await tx.alertEpisode.update({ where: { id: ep.id }, data: { summary: 'ours' } });
    });
    expect(blocked).toBe('database is locked');
    expect((await db.prisma.alertEpisode.findUniqueOrThrow({ where: { id: ep.id } })).summary).toBe('ours');
    // Once it committed, the other connection writes as usual.
    expect(otherWrite().changes).toBe(1);
    other.close();
  });
});
