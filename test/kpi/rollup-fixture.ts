// Deals for the rollup tests: three owners, a half year of deals closing at any hour (often near
// midnight in New York, around its change to summer time on 2024-03-10), written through the
// production record writer so that the data versions move as a sync moves them.
import type { Database } from '../../src/store/open-database.ts';
import { createRecordWriter, type RecordWriter } from '../../src/store/record-writer.ts';
import { mulberry32 } from '../helpers/seeded-random.ts';

/** A deal as the tests reason about it. */
export interface Deal {
  readonly id: string;
  readonly owner: string;
  readonly status: 'won' | 'lost' | 'open';
  readonly amount: number | null;
  readonly closedAt: Date | null;
}

const HOUR = 3_600_000;

/** `n` deals drawn from `seed`: closing between 2024-01-01 and 2024-06-30, a tenth without an amount. */
export function drawDeals(n: number, seed: number): Deal[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, (_, k) => {
    const s = r();
    const status = s < 0.5 ? 'won' : s < 0.85 ? 'lost' : 'open';
    // A third close in the nights around New York's spring change, between 03:00 and 06:00 UTC.
    const near = r() < 0.33;
    const closed = near
      ? Date.UTC(2024, 2, 5 + Math.floor(r() * 10), 3) + Math.floor(r() * 3 * HOUR)
      : Date.UTC(2024, 0, 1) + Math.floor(r() * 182 * 24 * HOUR);
    return {
      id: `d${k}`,
      owner: ['ann', 'bob', 'cy'][Math.floor(r() * 3)]!,
      status,
      amount: r() < 0.1 ? null : 10 * (1 + Math.floor(r() * 50)),
      closedAt: status === 'open' ? null : new Date(closed),
    };
  });
}

/** Deals written through the production record writer of one source. */
export interface DealWriter {
  write(deals: readonly Deal[]): Promise<void>;
  close(): Promise<void>;
}

/** Creates the source and its owners; deals are then written through `write`. */
export async function dealWriter(db: Database): Promise<DealWriter> {
  const source = await db.prisma.source.create({ data: { key: 'crm', kind: 'csv', name: 'crm' } });
  const owners = createRecordWriter(db, 'owners', source.id);
  await owners.write(['ann', 'bob', 'cy'].map((o) => ({ externalId: o, rowHash: o, values: { name: o.toUpperCase(), manager: o === 'cy' ? 'M2' : 'M1' } })));
  await owners.close();
  const ids = new Map(
    (await db.sql.all<{ id: number; external_id: string }>('SELECT "id", "external_id" FROM "owners"')).map((o) => [o.external_id, Number(o.id)]),
  );
  const writer: RecordWriter = createRecordWriter(db, 'deals', source.id);
  return {
    async write(deals) {
      await writer.write(
        deals.map((d) => ({
          externalId: d.id,
          rowHash: JSON.stringify(d),
          values: {
            stage: d.status,
            status: d.status,
            amount: d.amount,
            owner: ids.get(d.owner)!,
            created_at: new Date(Date.UTC(2023, 11, 1)),
            engaged_at: new Date(Date.UTC(2023, 11, 2)),
            closed_at: d.closedAt,
          },
        })),
      );
    },
    close: () => writer.close(),
  };
}

/** The won deals closing in [start, end). */
export function wonIn(deals: readonly Deal[], start: Date, end: Date): Deal[] {
  return deals.filter((d) => d.status === 'won' && d.closedAt !== null && d.closedAt >= start && d.closedAt < end);
}

/** Whether a and b agree within a relative 1e-9 (sums may add in another order), or are both null. */
export function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}
