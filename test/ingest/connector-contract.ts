// The contract every connector passes, whatever the CRM: one suite, run against CSV, HubSpot and
// Salesforce alike (as unjs/unstorage runs every driver through test/drivers/utils.ts). The
// suite states the remote's data in neutral terms; each driver serves it in its CRM's own shapes
// (files, or nock-served API responses) and injects the faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ReadBatch } from '../../src/ingest/connector.ts';
import type { UnitResult } from '../../src/ingest/sync-source.ts';
import type { Database } from '../../src/store/open-database.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { dealRowIds, recordingSleep, runSync, storedCursor, storedDeals, storedRejects, unit, type StoredDeal } from '../helpers/sync.ts';

/** A stage the contract's deals use, with the status every CRM's mapping must give it. */
export type ContractStage = 'Qualified To Buy' | 'Closed Won' | 'Closed Lost';

/** A deal as the contract states it. */
export interface ContractDeal {
  readonly id: string;
  readonly name: string;
  /** null: the record has no stage (a mapped required field missing) */
  readonly stage: ContractStage | null;
  readonly amount: number | null;
  /** an owner's id */
  readonly owner: string;
  /** when the record last changed, ISO */
  readonly modified: string;
  /** the close date of a closed deal, YYYY-MM-DD */
  readonly closed?: string;
  /** served broken: a record the CRM's documented shape does not allow */
  readonly malformed?: boolean;
}

/** An owner as the contract states it. */
export interface ContractOwner {
  readonly id: string;
  readonly name: string;
}

/** What the remote holds. */
export interface RemoteState {
  readonly owners: readonly ContractOwner[];
  readonly deals: readonly ContractDeal[];
}

/** A fault of the remote: down for good from a page on (until healed), or one page failing once. */
export type ContractFault = 'down' | 'rate-limit' | 'server-error' | 'timeout';

/** The wait a driver's rate-limit fault asks for. */
export const RETRY_AFTER_MS = 7000;

/** One connector under the contract, with its remote. A new one is made for every test. */
export interface ContractDriver {
  /** the label of the unit that reads the deals */
  readonly dealsUnit: string;
  /** puts the remote in `state`, served `pageSize` deals to a page (or batch) */
  serve(state: RemoteState, pageSize: number): void;
  /** makes the deals' `page`-th page fail */
  fault(kind: ContractFault, page: number): void;
  heal(): void;
  /** a connector over the remote; waits go to `sleep`, jitter is `random` */
  connector(http: { sleep: (ms: number) => Promise<void>; random: () => number }): Connector;
  close(): void;
}

/** What the suite needs to run a driver on an engine. */
export interface ContractOptions {
  readonly name: string;
  /** whether the remote is an HTTP API, so that rate limits, server errors and timeouts apply */
  readonly http: boolean;
  readonly database: () => Promise<TestDatabase>;
  readonly driver: () => ContractDriver;
}

const ANN = { id: '901', name: 'Ann Lee' };
const BOB = { id: '902', name: 'Bob Diaz' };

/** Five deals modified an hour apart on 1 March 2024. */
export function fiveDeals(): ContractDeal[] {
  return [
    { id: '101', name: 'Acme renewal', stage: 'Closed Won', amount: 1200, owner: ANN.id, modified: '2024-03-01T08:00:00.000Z', closed: '2024-02-28' },
    { id: '102', name: 'Globex pilot', stage: 'Closed Lost', amount: 400, owner: BOB.id, modified: '2024-03-01T09:00:00.000Z', closed: '2024-02-20' },
    { id: '103', name: 'Initech expansion', stage: 'Qualified To Buy', amount: 800, owner: ANN.id, modified: '2024-03-01T10:00:00.000Z' },
    { id: '104', name: 'Umbrella services', stage: 'Qualified To Buy', amount: null, owner: BOB.id, modified: '2024-03-01T11:00:00.000Z' },
    { id: '105', name: 'Hooli renewal', stage: 'Closed Won', amount: 3000, owner: BOB.id, modified: '2024-03-01T12:00:00.000Z', closed: '2024-02-29' },
  ];
}

/** What the store must hold for `deals`: the canonical deal every CRM's mapping gives. */
function expected(deals: readonly ContractDeal[]): StoredDeal[] {
  const owners = new Map([ANN, BOB].map((o) => [o.id, o.name]));
  return deals
    .filter((d) => d.stage !== null && !d.malformed)
    .map((d) => ({
      id: d.id,
      name: d.name,
      stage: d.stage!,
      status: d.stage === 'Closed Won' ? 'won' : d.stage === 'Closed Lost' ? 'lost' : 'open',
      amount: d.amount,
      owner: owners.get(d.owner) ?? null,
      closed: d.stage === 'Qualified To Buy' ? null : (d.closed ?? null),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The deal changed an hour after the last one, in the remote. */
function changed(d: ContractDeal, n: number, change: Partial<ContractDeal>): ContractDeal {
  return { ...d, ...change, modified: new Date(Date.parse('2024-03-02T00:00:00.000Z') + n * 3_600_000).toISOString() };
}

/** A connector whose reads count the batches of each unit. */
function countingBatches(inner: Connector): { connector: Connector; batches: Map<string, number> } {
  const batches = new Map<string, number>();
  const connector: Connector = {
    kind: inner.kind,
    units: () => inner.units(),
    async read(unit, cursor, onProgress) {
      const read = await inner.read(unit, cursor, onProgress);
      async function* counted(): AsyncGenerator<ReadBatch> {
        for await (const b of read.batches) {
          batches.set(unit.label, (batches.get(unit.label) ?? 0) + 1);
          yield b;
        }
      }
      return { ...read, batches: counted(), cursor: () => read.cursor(), notes: () => read.notes() };
    },
  };
  return { connector, batches };
}

/**
 * Defines the connector contract for one driver on one database engine: pagination, an empty
 * result, idempotent re-sync, rejected rows with their reasons, resume after a failure in the
 * middle of a sync (cursor unchanged, no duplicates, no gaps), and, for HTTP APIs, 429s with
 * Retry-After, 5xx and timeouts retried with backoff.
 * @example describeConnectorContract({ name: 'hubspot on sqlite', database: async () => tempSqlite(), driver: hubspotDriver })
 */
export function describeConnectorContract(options: ContractOptions): void {
  describe(`connector contract: ${options.name}`, () => {
    let test: MigratedDb;
    let db: Database;
    let driver: ContractDriver;
    let keyNo = 0;
    let key: string;
    let waits: ReturnType<typeof recordingSleep>;

    beforeAll(async () => {
      test = await migratedDb(options.database);
      db = test.db;
    });
    afterAll(async () => {
      await test?.close();
    });
    afterEach(() => driver?.close());

    /** A new driver and source key for the test. */
    function start(state: RemoteState, pageSize: number) {
      driver = options.driver();
      key = `contract-${++keyNo}`;
      driver.serve(state, pageSize);
    }

    async function sync(): Promise<{ results: UnitResult[]; deals: UnitResult; batches: number }> {
      waits = recordingSleep();
      const { connector, batches } = countingBatches(driver.connector({ sleep: waits.sleep, random: () => 0.5 }));
      const results = await runSync(db, key, connector);
      return { results, deals: unit(results, driver.dealsUnit), batches: batches.get(driver.dealsUnit) ?? 0 };
    }

    it('reads every page and stores the canonical deals and their owners', async () => {
      const deals = fiveDeals();
      start({ owners: [ANN, BOB], deals }, 2);
      const { results, deals: run, batches } = await sync();
      expect(results.every((r) => r.status === 'succeeded')).toBe(true);
      expect(run.counts).toEqual({ read: 5, written: 5, rejected: 0, inserted: 5, updated: 0, unchanged: 0 });
      expect(batches).toBeGreaterThanOrEqual(3);
      expect(await storedDeals(db, key)).toEqual(expected(deals));
      expect(await storedCursor(db, key, driver.dealsUnit)).toBeDefined();
    });

    it('succeeds on an empty result and stores nothing', async () => {
      start({ owners: [ANN, BOB], deals: [] }, 2);
      const { deals: run } = await sync();
      expect(run.status).toBe('succeeded');
      expect(run.counts).toEqual({ read: 0, written: 0, rejected: 0, inserted: 0, updated: 0, unchanged: 0 });
      expect(await storedDeals(db, key)).toEqual([]);
      expect(await storedRejects(db, key)).toEqual([]);
    });

    it('changes nothing when it syncs the same data again, and updates in place what changed', async () => {
      const deals = fiveDeals();
      start({ owners: [ANN, BOB], deals }, 2);
      await sync();
      const ids = await dealRowIds(db, key);
      const again = await sync();
      expect(again.deals.status).toBe('succeeded');
      expect(again.deals.counts).toMatchObject({ written: again.deals.counts.unchanged, inserted: 0, updated: 0, rejected: 0 });
      expect(await dealRowIds(db, key)).toEqual(ids);
      expect(await storedDeals(db, key)).toEqual(expected(deals));

      const next = [...deals.slice(0, 2), changed(deals[2]!, 1, { stage: 'Closed Won', closed: '2024-03-01', amount: 900 }), ...deals.slice(3)];
      next.push(changed({ id: '106', name: 'Stark pilot', stage: 'Qualified To Buy', amount: 50, owner: ANN.id, modified: '' }, 2, {}));
      driver.serve({ owners: [ANN, BOB], deals: next }, 2);
      const third = await sync();
      expect(third.deals.counts).toMatchObject({ inserted: 1, updated: 1, rejected: 0 });
      expect(await storedDeals(db, key)).toEqual(expected(next));
      const after = await dealRowIds(db, key);
      expect(after['103']).toBe(ids['103']);
    });

    it('rejects a record missing a mapped required field and a malformed one, with reasons that stay until fixed', async () => {
      const deals = fiveDeals();
      const broken = [deals[0]!, { ...deals[1]!, stage: null }, deals[2]!, { ...deals[3]!, malformed: true }, deals[4]!];
      start({ owners: [ANN, BOB], deals: broken }, 2);
      const first = await sync();
      expect(first.deals.status).toBe('succeeded');
      expect(first.deals.counts).toMatchObject({ read: 5, written: 3, rejected: 2 });
      const rejects = async () => (await storedRejects(db, key)).map((r) => ({ kind: r.kind, reason: r.reason, raw: r.raw }));
      const kept = await rejects();
      expect(kept.map((r) => r.kind).sort()).toEqual(['missing', 'shape']);
      expect(kept.find((r) => r.kind === 'missing')!.reason).toMatch(/^stage \((column|property|field) '\w+'\) is required but empty$/);
      expect(kept.find((r) => r.kind === 'missing')!.raw).toContain('Globex pilot');
      expect(kept.find((r) => r.kind === 'shape')!.reason).not.toBe('');
      expect(await storedDeals(db, key)).toEqual(expected(broken));

      // Not read again (an API reads only what changed): the rejects stay in view.
      await sync();
      expect(await rejects()).toEqual(kept);

      // Fixed in the CRM: stored, and its reject goes.
      const fixed = broken.map((d) => (d.id === '102' ? changed(deals[1]!, 1, {}) : d));
      driver.serve({ owners: [ANN, BOB], deals: fixed }, 2);
      const third = await sync();
      expect(third.deals.status).toBe('succeeded');
      expect((await rejects()).map((r) => r.kind)).toEqual(['shape']);
      expect(await storedDeals(db, key)).toEqual(expected(fixed));
    });

    it('resumes after a failure in the middle of a sync without duplicates or gaps, the cursor unmoved', async () => {
      const deals = fiveDeals();
      start({ owners: [ANN, BOB], deals }, 2);
      await sync();
      const cursor = await storedCursor(db, key, driver.dealsUnit);

      const next = [
        ...deals.slice(0, 1),
        changed(deals[1]!, 1, { amount: 450 }),
        ...deals.slice(2, 4),
        changed(deals[4]!, 2, { amount: 3100 }),
        changed({ id: '106', name: 'Stark pilot', stage: 'Qualified To Buy', amount: 50, owner: ANN.id, modified: '' }, 3, {}),
        changed({ id: '107', name: 'Wayne services', stage: 'Closed Lost', amount: 75, owner: BOB.id, modified: '', closed: '2024-03-01' }, 4, {}),
      ];
      driver.serve({ owners: [ANN, BOB], deals: next }, 2);
      driver.fault('down', 2);
      const failed = await sync();
      expect(failed.deals.status).toBe('failed');
      expect(failed.deals.error).toBeDefined();
      expect(failed.deals.counts.written).toBeGreaterThan(0);
      expect(await storedCursor(db, key, driver.dealsUnit)).toBe(cursor);

      driver.heal();
      const resumed = await sync();
      expect(resumed.deals.status).toBe('succeeded');
      expect(await storedDeals(db, key)).toEqual(expected(next));
      const counts = await db.sql.all<{ n: number; d: number }>(
        `SELECT count(*) AS n, count(DISTINCT d."external_id") AS d FROM "deals" d JOIN "sources" s ON s."id" = d."source_id" WHERE s."key" = ?`,
        [key],
      );
      expect(counts.map((c) => [Number(c.n), Number(c.d)])).toEqual([[7, 7]]);
      expect(await storedCursor(db, key, driver.dealsUnit)).not.toBe(cursor);
    });

    it.skipIf(!options.http)('honours Retry-After on a 429, then goes on', async () => {
      const deals = fiveDeals();
      start({ owners: [ANN, BOB], deals }, 2);
      driver.fault('rate-limit', 2);
      const { deals: run } = await sync();
      expect(run.status).toBe('succeeded');
      expect(waits.sleeps).toEqual([RETRY_AFTER_MS]);
      expect(await storedDeals(db, key)).toEqual(expected(deals));
    });

    for (const fault of ['server-error', 'timeout'] as const) {
      it.skipIf(!options.http)(`retries ${fault === 'timeout' ? 'a timeout' : 'a 5xx'} after a jittered backoff`, async () => {
        const deals = fiveDeals();
        start({ owners: [ANN, BOB], deals }, 2);
        driver.fault(fault, 2);
        const { deals: run } = await sync();
        expect(run.status).toBe('succeeded');
        // Full jitter over 500 ms × 2^(try − 1), with the jitter source at 0.5: 250 ms after the first try.
        expect(waits.sleeps).toEqual([250]);
        expect(await storedDeals(db, key)).toEqual(expected(deals));
      });
    }

    it.skipIf(!options.http)('gives up on a remote that stays down, after capped backoffs', async () => {
      start({ owners: [ANN, BOB], deals: fiveDeals() }, 2);
      driver.fault('down', 1);
      const { deals: run } = await sync();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/\(gave up after 5 tries\)/);
      expect(waits.sleeps).toEqual([250, 500, 1000, 2000]);
      expect(await storedCursor(db, key, driver.dealsUnit)).toBeUndefined();
    });
  });
}
