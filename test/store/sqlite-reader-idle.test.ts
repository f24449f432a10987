// The SQLite reader's idle stop (issue 16, the idle bot's memory): a thread with no read for
// `idleMs` stops and gives its memory back; the next read starts a new one and is answered, a
// read in progress is never cut off by the idle stop, and close() after an idle stop is clean.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { sqliteReader } from '../../src/store/sqlite-reader.ts';
import { readerDatabase, SLOW } from './sqlite-reader-fixture.ts';

const fixture = readerDatabase();

/** Records each thread the reader starts, and each one's exit code once it ends. */
function threads() {
  const started: Worker[] = [];
  const exits: Promise<unknown>[] = [];
  return {
    started,
    exits,
    onWorker: (w: Worker) => {
      started.push(w);
      exits.push(once(w, 'exit'));
    },
  };
}

describe('the SQLite reader thread when idle', () => {
  it('stops after idleMs without a read, and the next read starts a new thread and is answered', async () => {
    const seen = threads();
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 1, idleMs: 30, onWorker: seen.onWorker });
    try {
      expect(await reader.all<{ key: string }>(`SELECT "key" AS key FROM "sources"`)).toEqual([{ key: 'crm' }]);
      expect(seen.started).toHaveLength(1);
      // The idle stop ends the thread (no read asked it to); waiting on its exit cannot pass otherwise.
      await seen.exits[0];
      await fixture.db.sql.run(`INSERT INTO "sources" ("key", "kind", "name") VALUES (?, ?, ?)`, ['hub', 'hubspot', 'Hub']);
      expect(await reader.all<{ key: string }>(`SELECT "key" AS key FROM "sources" ORDER BY "key"`)).toEqual([{ key: 'crm' }, { key: 'hub' }]);
      expect(seen.started).toHaveLength(2);
      await seen.exits[1];
      // Reads at once after an idle stop, several together, are all answered.
      const rows = await Promise.all([1, 2, 3].map((x) => reader.all<{ x: number }>('SELECT ? AS x', [x])));
      expect(rows).toEqual([[{ x: 1 }], [{ x: 2 }], [{ x: 3 }]]);
      expect(seen.started).toHaveLength(3);
    } finally {
      await reader.close();
    }
  });

  it('never stops a thread while a read runs on it, however long the read takes', async () => {
    const seen = threads();
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 1, idleMs: 1, onWorker: seen.onWorker });
    try {
      // The first thread serves both reads back to back: the second is asked before the first ends.
      const slow = reader.all<{ n: number }>(SLOW);
      const next = reader.all<{ n: number }>(SLOW);
      expect(await slow).toEqual([{ n: 2_000_000 }]);
      expect(await next).toEqual([{ n: 2_000_000 }]);
      expect(seen.started).toHaveLength(1);
    } finally {
      await reader.close();
    }
  });

  it('a reader whose threads stopped idle still tells the data version and closes cleanly', async () => {
    const seen = threads();
    const reader = sqliteReader(fixture.db.sqliteFile!, { threads: 2, idleMs: 20, onWorker: seen.onWorker });
    await Promise.all([reader.all('SELECT 1'), reader.all('SELECT 2')]);
    expect(seen.started).toHaveLength(2);
    await Promise.all(seen.exits);
    expect(await reader.dataVersion()).toMatch(/^sqlite:\d+$/);
    await reader.close();
    expect(((await reader.all('SELECT 1').catch((e: unknown) => e)) as Error).message).toContain('the reader is closed');
    expect(seen.started).toHaveLength(2);
  });
});
