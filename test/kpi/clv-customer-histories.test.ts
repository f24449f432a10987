// The per-customer purchase summary BG/NBD is fitted to, on both engines: purchase days in UTC
// (two invoices on one day are one purchase), weeks, the mean of the repeat days, and the lines
// RFM leaves out (cancelled, returns, guests) left out here too. Expected values worked by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerHistories } from '../../src/kpi/clv/customer-histories.ts';
import type { Database } from '../../src/store/open-database.ts';
import { dbValue } from '../../src/store/record-writer.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

describe.each(ENGINES)('customer histories on $engine', ({ create }) => {
  let test: MigratedDb;
  let db: Database;
  beforeAll(async () => {
    test = await migratedDb(create);
    db = test.db;
    const at = (iso: string) => dbValue(db.dialect, new Date(iso));
    await db.sql.run(`INSERT INTO "sources" ("id", "key", "kind", "name", "created_at") VALUES (1, 's', 'csv', 's', ?)`, [at('2011-01-01T00:00:00Z')]);
    await db.sql.run(`INSERT INTO "customers" ("id", "source_id", "external_id", "row_hash") VALUES (1, 1, 'A', 'h'), (2, 1, 'B', 'h')`);
    const lines: [number | null, string, number, boolean, string][] = [
      [1, 'i1', 10, false, '2011-01-03T10:00:00Z'],
      [1, 'i2', 5, false, '2011-01-03T15:00:00Z'], // same UTC day as i1: one purchase worth 15
      [1, 'i3', 20, false, '2011-01-17T09:00:00Z'],
      [1, 'i4', 30, false, '2011-01-31T09:00:00Z'],
      [1, 'C5', 99, true, '2011-02-07T09:00:00Z'], // cancelled: not a purchase
      [1, 'i6', 40, false, '2011-02-20T09:00:00Z'], // after the as-of date
      [2, 'i7', 7, false, '2011-01-10T09:00:00Z'],
      [null, 'i8', 50, false, '2011-01-12T09:00:00Z'], // a guest
    ];
    for (const [i, [customer, invoice, amount, cancelled, when]] of lines.entries()) {
      await db.sql.run(
        `INSERT INTO "order_lines" ("source_id", "external_id", "row_hash", "invoice_no", "customer_id", "quantity", "unit_price", "amount", "cancelled", "ordered_at") VALUES (1, ?, 'h', ?, ?, 1, ?, ?, ?, ?)`,
        [`e${i}`, invoice, customer, amount, amount, db.dialect === 'postgres' ? cancelled : Number(cancelled), at(when)],
      );
    }
  }, 60_000);
  afterAll(async () => {
    await test?.close();
  });

  it('gives frequency, recency and age in weeks, the mean repeat value and the total', async () => {
    const rows = await customerHistories(db, { asOf: new Date('2011-02-14T00:00:00Z') });
    expect(rows).toEqual([
      // days 3, 17 and 31 January: 2 repeat days, 4 weeks from first to last, 6 weeks old; (20 + 30) / 2
      { id: 1, customer: 'A', frequency: 2, recency: 4, T: 6, pastValue: 65, monetary: 25 },
      { id: 2, customer: 'B', frequency: 0, recency: 0, T: 5, pastValue: 7, monetary: 0 },
    ]);
  });
});
