// Data versions (issue 18): every committed change to a record table, whatever wrote it (the bulk
// writer's upsert, a delete, a source's removal cascading to its records), bumps the table's
// version in the same transaction and notes the earliest day the changed record held.
import { afterEach, describe, expect, it } from 'vitest';
import { BEFORE_ALL, changedSince, dataVersions } from '../../src/store/data-versions.ts';
import { createRecordWriter, type ResolvedRecord } from '../../src/store/record-writer.ts';
import { removeSource } from '../../src/store/remove-source.ts';
import { writeTransaction } from '../../src/store/write-transaction.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

const deal = (id: string, created: string, closed: string | null, amount = 10): ResolvedRecord => ({
  externalId: id,
  rowHash: `${id}|${created}|${closed}|${amount}`,
  values: { stage: 'x', status: closed ? 'won' : 'open', amount, created_at: new Date(created), closed_at: closed ? new Date(closed) : null },
});

describe.each(ENGINES)('data versions on $engine', ({ create }) => {
  let test: MigratedDb | undefined;
  afterEach(async () => test?.close());

  it('follow every write, delete and source removal, with the earliest day each change touched', async () => {
    test = await migratedDb(create);
    const { db } = test;
    const version = async () => (await dataVersions(db)).get('deals')!;
    expect(await version()).toEqual({ version: 0 });
    const source = await db.prisma.source.create({ data: { key: 'crm', kind: 'csv', name: 'crm' } });
    const writer = createRecordWriter(db, 'deals', source.id);
    try {
      await writer.write([deal('a', '2024-03-05T10:00:00Z', '2024-04-02T09:00:00Z'), deal('b', '2024-05-01T00:00:00Z', null)]);
      const v1 = await version();
      expect(v1.version).toBeGreaterThan(0);
      // lo and hi bound every date written: a's creation and a's close.
      expect([v1.lo, v1.hi]).toEqual([new Date('2024-03-05T10:00:00Z'), new Date('2024-05-01T00:00:00Z')]);
      expect(await changedSince(db, 'deals', 0)).toEqual(new Date('2024-03-05T00:00:00Z'));
      expect(await changedSince(db, 'deals', v1.version)).toBeUndefined();

      // The same rows again change nothing (their row_hash is unchanged): no new version.
      await writer.write([deal('a', '2024-03-05T10:00:00Z', '2024-04-02T09:00:00Z')]);
      expect((await version()).version).toBe(v1.version);

      // b moves from May to January: the change reaches back to January, its new earliest date.
      await writer.write([deal('b', '2024-01-20T00:00:00Z', null)]);
      const v2 = await version();
      expect(v2.version).toBeGreaterThan(v1.version);
      expect(await changedSince(db, 'deals', v1.version)).toEqual(new Date('2024-01-20T00:00:00Z'));
      expect(v2.lo).toEqual(new Date('2024-01-20T00:00:00Z'));

      // A delete notes the deleted record's earliest day.
      expect(await writer.remove(['a'])).toBe(1);
      const v3 = await version();
      expect(await changedSince(db, 'deals', v2.version)).toEqual(new Date('2024-03-05T00:00:00Z'));

      // A change inside a transaction that rolls back leaves the version as it was.
      await expect(
        writeTransaction(db, async (tx) => {
          await tx.$executeRawUnsafe(`DELETE FROM "deals"`);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await version()).version).toBe(v3.version);

      // Removing the source deletes its records through the foreign key's cascade: noted too.
      await writer.write([deal('c', '2023-12-31T23:00:00Z', '2024-02-01T00:00:00Z')]);
      const v4 = await version();
      await removeSource(db, 'crm');
      expect((await version()).version).toBeGreaterThan(v4.version);
      expect(await changedSince(db, 'deals', v4.version)).toEqual(new Date('2023-12-31T00:00:00Z'));
    } finally {
      await writer.close();
    }
  });

  it('note a change to a table without dates as one before every period', async () => {
    test = await migratedDb(create);
    const { db } = test;
    const source = await db.prisma.source.create({ data: { key: 'crm', kind: 'csv', name: 'crm' } });
    const writer = createRecordWriter(db, 'owners', source.id);
    try {
      await writer.write([{ externalId: 'ann', rowHash: '1', values: { name: 'Ann' } }]);
      expect(await changedSince(db, 'owners', 0)).toEqual(BEFORE_ALL);
      expect((await dataVersions(db)).get('owners')).toEqual({ version: 1 });
    } finally {
      await writer.close();
    }
  });
});
