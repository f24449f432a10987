import { afterEach, describe, expect, it } from 'vitest';
import { addTickItems, claimTickItem, renewTickItem, tickItemCounts } from '../../src/store/tick-items.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { ENGINES, tempPostgres } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

const TICK = new Date('2024-04-02T06:00:00Z');
const T0 = new Date('2024-04-02T06:00:01Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(ENGINES)('tick items on $engine', ({ create }) => {
  let test: MigratedDb | undefined;
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  it('are added once, claimed one at a time in order, and taken over only once a claim expires, with a new epoch', async () => {
    test = await migratedDb(create);
    const db = test.db;
    const items = [
      { item: 'won_revenue|owner', payload: '["a"]' },
      { item: 'win_rate|owner', payload: '["b","c"]' },
    ];
    expect(await addTickItems(db, 'evaluate', TICK, TICK, items)).toBe(2);
    // A second replica adding the same tick's items adds nothing.
    expect(await addTickItems(db, 'evaluate', TICK, TICK, items)).toBe(0);

    const a = await claimTickItem(db, 'evaluate', TICK, 'a', T0, 1_000);
    const b = await claimTickItem(db, 'evaluate', TICK, 'b', T0, 1_000);
    expect([a, b]).toEqual([
      { id: expect.any(Number), job: 'evaluate', tick: TICK, item: 'won_revenue|owner', payload: '["a"]', at: TICK, holder: 'a', epoch: 1 },
      { id: expect.any(Number), job: 'evaluate', tick: TICK, item: 'win_rate|owner', payload: '["b","c"]', at: TICK, holder: 'b', epoch: 1 },
    ]);
    // Both claimed and unexpired: nothing is left to claim.
    expect(await claimTickItem(db, 'evaluate', TICK, 'c', later(999), 1_000)).toBeUndefined();
    expect(await tickItemCounts(db, 'evaluate', TICK, later(999))).toEqual({ total: 2, done: 0, claimed: 2 });
    // b renews its claim; a's expires and c takes it over with the next epoch.
    expect(await renewTickItem(db, b!, later(500), 1_000)).toBe(true);
    const c = await claimTickItem(db, 'evaluate', TICK, 'c', later(1_000), 1_000);
    expect(c).toMatchObject({ item: 'won_revenue|owner', holder: 'c', epoch: 2 });
    // a lost it: it can no longer renew it.
    expect(await renewTickItem(db, a!, later(1_001), 1_000)).toBe(false);
    // Another tick's items are apart.
    expect(await claimTickItem(db, 'evaluate', new Date('2024-04-03T06:00:00Z'), 'a', later(1_001), 1_000)).toBeUndefined();
  });
});

describe('tick items on PostgreSQL, claimed by many connections at once', () => {
  let test: MigratedDb | undefined;
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });

  it('go to exactly one claimer each (FOR UPDATE SKIP LOCKED)', async () => {
    test = await migratedDb(tempPostgres);
    await addTickItems(
      test.db,
      'evaluate',
      TICK,
      TICK,
      Array.from({ length: 40 }, (_, i) => ({ item: `k${i}`, payload: '[]' })),
    );
    // Two replicas' own pools, four claim loops each, all racing.
    const replicas = [await openDatabase(test.url), await openDatabase(test.url)];
    try {
      const loops = replicas.flatMap((db, r) =>
        Array.from({ length: 4 }, async (_, l) => {
          const got: string[] = [];
          for (let c; (c = await claimTickItem(db, 'evaluate', TICK, `r${r}-${l}`, T0, 60_000)); ) got.push(c.item);
          return got;
        }),
      );
      const claimed = (await Promise.all(loops)).flat();
      expect(claimed.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `k${i}`).sort());
      const rows = await test.db.sql.all<{ epoch: number }>('SELECT "epoch" FROM "tick_items"');
      expect(rows.every((r) => Number(r.epoch) === 1)).toBe(true);
    } finally {
      for (const db of replicas) await db.close();
    }
  });
});
