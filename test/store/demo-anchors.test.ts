import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { csvConnector } from '../../src/ingest/connectors/csv.ts';
import { demoConnector } from '../../src/ingest/connectors/demo.ts';
import { syncSource, type SyncDeps } from '../../src/ingest/sync-source.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { demoAnchors, type DemoAnchors } from '../../src/store/demo-anchors.ts';
import type { Database } from '../../src/store/open-database.ts';
import { ENGINES } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';

const DEMO_SOURCE = { key: 'demo', kind: 'demo', name: 'Generated demo data' } as const;

// Only maven-crm is imported: online-retail takes about 10 s, and the B2C side is covered by the
// generator's unit tests; here it shows how the demo behaves when a source is missing.
describe.each(ENGINES)('demo anchors on $engine', ({ create }) => {
  let test: MigratedDb;
  let db: Database;
  let deps: SyncDeps;
  let anchors: DemoAnchors;

  beforeAll(async () => {
    test = await migratedDb(create);
    db = test.db;
    deps = { db, clock: systemClock, log: silentLogger() };
  });
  afterAll(async () => {
    await test?.close();
  });

  it('are empty before anything is imported, and the demo then refuses to generate', async () => {
    expect(await demoAnchors(db)).toEqual({ accounts: [], customers: [], ranges: { 'maven-crm': null, 'online-retail': null } });
    const results = await syncSource(deps, DEMO_SOURCE, demoConnector(await demoAnchors(db), 42));
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(results[0]!.error).toMatch(/^\[demo\] tickets: nothing to link generated records to; .*\n {2}fix: run 'crm-pulse ingest maven-crm'/);
  });

  it('give the 85 Maven accounts with the agent who has the most deals on each', async () => {
    const { config, dir } = loadConfig('/nonexistent/crm-pulse.yaml', { explicit: false });
    const maven = config.sources['maven-crm']!;
    const imported = await syncSource(deps, { key: 'maven-crm', kind: maven.kind, name: maven.name ?? 'maven-crm' }, csvConnector(maven, dir));
    expect(imported.every((r) => r.status === 'succeeded')).toBe(true);

    anchors = await demoAnchors(db);
    expect(anchors.accounts).toHaveLength(85);
    expect(anchors.customers).toEqual([]);
    expect(anchors.ranges).toEqual({
      'maven-crm': { from: new Date('2016-10-20T00:00:00Z'), to: new Date('2017-12-31T00:00:00Z') },
      'online-retail': null,
    });
    // 1,425 of the 8,800 deals have no account (see crm-pulse.example.yaml).
    expect(anchors.accounts.reduce((n, a) => n + a.deals, 0)).toBe(8800 - 1425);

    // The main agent by a plain count per account and agent, ties broken alphabetically here.
    const counts = await db.sql.all<{ account: string; agent: string; office: string; n: number }>(
      `SELECT a."external_id" AS "account", o."external_id" AS "agent", o."office" AS "office", count(*) AS "n"
       FROM "deals" d JOIN "accounts" a ON a."id" = d."account_id" JOIN "owners" o ON o."id" = d."owner_id"
       GROUP BY a."external_id", o."external_id", o."office"`,
    );
    const expected = new Map<string, { agent: string; office: string; n: number }>();
    for (const c of counts) {
      const best = expected.get(c.account);
      const n = Number(c.n);
      if (!best || n > best.n || (n === best.n && c.agent < best.agent)) expected.set(c.account, { agent: c.agent, office: c.office, n });
    }
    for (const a of anchors.accounts) {
      expect({ account: a.externalId, owner: a.owner, office: a.office }).toEqual({
        account: a.externalId,
        owner: expected.get(a.externalId)!.agent,
        office: expected.get(a.externalId)!.office,
      });
    }
    const acme = anchors.accounts.find((a) => a.externalId === 'Acme Corporation')!;
    const [span] = await db.sql.all<{ first: unknown; last: unknown }>(
      `SELECT min(d."engaged_at") AS "first", max(d."closed_at") AS "last"
       FROM "deals" d JOIN "accounts" a ON a."id" = d."account_id" WHERE a."external_id" = 'Acme Corporation'`,
    );
    expect(acme.firstEngagedAt).toEqual(new Date(span!.first as string));
    expect(acme.lastClosedAt).toEqual(new Date(span!.last as string));
    expect(acme.country).toBe('United States');
  });

  it('feed the demo connector: every generated record is stored, linked to its account and main agent', async () => {
    const results = await syncSource(deps, DEMO_SOURCE, demoConnector(anchors, 42));
    expect(results.map((r) => [r.label, r.status, r.counts.rejected, r.counts.read === r.counts.written])).toEqual([
      ['tickets', 'succeeded', 0, true],
      ['survey_answers', 'succeeded', 0, true],
      ['marketing_spend', 'succeeded', 0, true],
    ]);
    const [tickets, surveys, spend] = results.map((r) => r.counts.written);
    expect(tickets).toBeGreaterThan(2000);
    expect(surveys).toBeGreaterThan(1000);
    expect(spend).toBeGreaterThan(1700);
    expect(results[0]!.notes).toContain("[demo] online-retail has no data, so no B2C tickets were generated; run 'crm-pulse ingest online-retail' first");
    expect(
      results[0]!.notes.some((n) => /^\[demo\] incident west-complaint-resolution \(\d+ tickets\): Complaint resolution time of the West office/.test(n)),
    ).toBe(true);

    const links = await db.sql.all<{ account: string; owner: string; n: number }>(
      `SELECT a."external_id" AS "account", o."external_id" AS "owner", count(*) AS "n"
       FROM "tickets" t JOIN "accounts" a ON a."id" = t."account_id" JOIN "owners" o ON o."id" = t."owner_id"
       GROUP BY a."external_id", o."external_id"`,
    );
    expect(links.reduce((n, l) => n + Number(l.n), 0)).toBe(tickets);
    const mainAgent = new Map(anchors.accounts.map((a) => [a.externalId, a.owner]));
    for (const l of links) expect(l.owner).toBe(mainAgent.get(l.account));

    const again = await syncSource(deps, DEMO_SOURCE, demoConnector(await demoAnchors(db), 42));
    expect(again.map((r) => [r.counts.inserted, r.counts.updated, r.counts.unchanged])).toEqual(results.map((r) => [0, 0, r.counts.written]));
  });
});
