// The SQLite reader thread of the bot's /kpi answers (issue 16): reads give the main connection's
// rows, every wait is bounded (a read past its timeout and a thread that dies are answered with a
// clear, retryable storage error, and the next read works), it never creates or changes storage,
// and a commit by another connection changes the data version.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { sqliteReader } from '../../src/store/sqlite-reader.ts';
import { readerDatabase, SLOW } from './sqlite-reader-fixture.ts';

const fixture = readerDatabase();

describe('the SQLite reader thread', () => {
  it('reads what the main connection committed, and the data version changes with each commit', async () => {
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 2 });
    try {
      expect(await reader.all<{ key: string }>(`SELECT "key" AS key FROM "sources" WHERE "kind" = ?`, ['csv'])).toEqual([{ key: 'crm' }]);
      const before = await reader.dataVersion();
      expect(await reader.dataVersion()).toBe(before);
      await fixture.db.sql.run(`INSERT INTO "sources" ("key", "kind", "name") VALUES (?, ?, ?)`, ['hub', 'hubspot', 'Hub']);
      const after = await reader.dataVersion();
      expect(after).not.toBe(before);
      expect((await reader.all<{ n: number }>(`SELECT count(*) AS n FROM "sources"`))[0]!.n).toBe(2);
      await fixture.db.prisma.source.update({ where: { key: 'hub' }, data: { name: 'HubSpot' } });
      expect(await reader.dataVersion()).not.toBe(after);
    } finally {
      await reader.close();
    }
  });

  it('a read past its timeout fails with a clear, retryable storage error; the next read gets a new thread', async () => {
    const reader = sqliteReader(fixture.db.sqliteFile!, { timeoutMs: 50, threads: 1 });
    try {
      // A thread that is starting gets its start-up time on top: start it first.
      expect(await reader.all<{ x: number }>('SELECT 6 AS x')).toEqual([{ x: 6 }]);
      const error = await reader.all(SLOW).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrmPulseError);
      expect((error as CrmPulseError).code).toBe('storage');
      expect((error as CrmPulseError).retryable).toBe(true);
      expect((error as Error).message).toContain('a read took longer than 50 ms; the reader thread was replaced');
      expect(await reader.all<{ x: number }>('SELECT 7 AS x')).toEqual([{ x: 7 }]);
    } finally {
      await reader.close();
    }
  });

  it('a reader thread that dies fails the reads it held with a clear error, not a hang; the next read works', async () => {
    let first = true;
    // The thread's first message is not a read: it throws outside its handler and the thread dies
    // before it reaches the read queued behind it.
    const onWorker = (w: Worker) => {
      if (first) w.postMessage(null);
      first = false;
    };
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 1, onWorker });
    try {
      const error = await reader.all('SELECT 1 AS x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrmPulseError);
      expect((error as CrmPulseError).retryable).toBe(true);
      expect((error as Error).message).toMatch(/a SQLite read failed: the reader thread (failed|stopped)/);
      expect(await reader.all<{ x: number }>('SELECT 1 AS x')).toEqual([{ x: 1 }]);
    } finally {
      await reader.close();
    }
  });

  it('a full queue is refused at once, and reads after close() are refused', async () => {
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 1, maxPending: 1 });
    const slow = reader.all(SLOW);
    const refused = await reader.all('SELECT 1').catch((e: unknown) => e);
    expect((refused as Error).message).toContain('1 reads are already waiting');
    expect((await slow)[0]).toEqual({ n: 2_000_000 });
    await reader.close();
    expect(((await reader.all('SELECT 1').catch((e: unknown) => e)) as Error).message).toContain('the reader is closed');
  });

  it('never creates storage: a missing file is an error and stays missing', async () => {
    const missing = join(fixture.url.slice('file:'.length), '..', 'nothing-here.db');
    const reader = sqliteReader(missing, { threads: 1 });
    try {
      const error = await reader.all('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CrmPulseError);
      expect(await reader.dataVersion().catch((e: unknown) => e)).toBeInstanceOf(Error);
      expect(existsSync(missing)).toBe(false);
    } finally {
      await reader.close();
    }
  });

  it('refuses to write: its connection is read-only', async () => {
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 1 });
    try {
      const error = await reader.all(`DELETE FROM "sources" RETURNING "key"`).catch((e: unknown) => e);
      expect((error as Error).message).toContain('SQLITE_READONLY');
      expect((await fixture.db.sql.all<{ n: number }>(`SELECT count(*) AS n FROM "sources"`))[0]!.n).toBe(2);
    } finally {
      await reader.close();
    }
  });
});
