import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/open-database.ts';
import { acquireLease, finishLease, lastLease, releaseLease, renewLease } from '../../src/store/job-leases.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

const T1 = new Date('2024-03-31T01:00:00Z');
const T2 = new Date('2024-03-31T02:00:00Z');
const at = (t: Date, ms: number) => new Date(t.getTime() + ms);
const TTL = 60_000;

describe.each(ENGINES)('job leases on $engine', ({ create }) => {
  let test: MigratedDb | undefined;
  let db: Database | undefined;
  afterEach(async () => {
    await test?.close();
  });
  const open = async () => {
    test = await migratedDb(create);
    db = test.db;
    return db;
  };

  it('gives a tick to one holder, refuses the other while it runs, and never runs a finished tick again', async () => {
    const db = await open();
    // A two-hour lease: the run is still under way when the next tick comes.
    expect(await acquireLease(db, { job: 'sync:crm', tick: T1, holder: 'a' }, T1, 120 * TTL)).toBe(true);
    expect(await acquireLease(db, { job: 'sync:crm', tick: T1, holder: 'b' }, at(T1, 1_000), TTL)).toBe(false);
    // The next tick does not overlap a run still under way.
    expect(await acquireLease(db, { job: 'sync:crm', tick: T2, holder: 'b' }, T2, TTL)).toBe(false);
    await finishLease(db, { job: 'sync:crm', tick: T1, holder: 'a' }, at(T1, 5_000));
    expect(await acquireLease(db, { job: 'sync:crm', tick: T1, holder: 'b' }, at(T1, 10 * TTL), TTL)).toBe(false);
    expect(await lastLease(db, 'sync:crm')).toEqual({ tick: T1, done: true });
    expect(await acquireLease(db, { job: 'sync:crm', tick: T2, holder: 'b' }, T2, TTL)).toBe(true);
    // An older tick never displaces a newer one.
    expect(await acquireLease(db, { job: 'sync:crm', tick: T1, holder: 'a' }, at(T2, 10 * TTL), TTL)).toBe(false);
    expect(await acquireLease(db, { job: 'evaluate', tick: T1, holder: 'a' }, T1, TTL)).toBe(true);
  });

  it('lets another holder take over a tick whose holder died, once the lease expired, and tells the old holder', async () => {
    const db = await open();
    const a = { job: 'sync:crm', tick: T1, holder: 'a' };
    expect(await acquireLease(db, a, T1, TTL)).toBe(true);
    expect(await renewLease(db, a, at(T1, 30_000), TTL)).toBe(true);
    expect(await acquireLease(db, { ...a, holder: 'b' }, at(T1, 80_000), TTL)).toBe(false);
    expect(await acquireLease(db, { ...a, holder: 'b' }, at(T1, 90_000), TTL)).toBe(true);
    expect(await renewLease(db, a, at(T1, 95_000), TTL)).toBe(false);
    expect(await lastLease(db, 'sync:crm')).toEqual({ tick: T1, done: false });
  });

  it('frees a released tick at once', async () => {
    const db = await open();
    const a = { job: 'deliver', tick: T1, holder: 'a' };
    expect(await acquireLease(db, a, T1, TTL)).toBe(true);
    await releaseLease(db, a, at(T1, 1_000));
    expect(await acquireLease(db, { ...a, holder: 'b' }, at(T1, 1_000), TTL)).toBe(true);
  });
});
