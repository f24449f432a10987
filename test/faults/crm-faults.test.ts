// CRM faults in the middle of a sync, each ending in a retry, a reject with its reason, or a clear
// error in `status` (the store's status report), never a crash or silently lost data; and the
// next run after the fault heals stores everything once. What test/ingest already covers (a 5xx
// retried, a remote down mid-pagination resumed, Salesforce's refresh flow) is not repeated; these
// add the truncated body, the vanished property, and what `status` says about each fault.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HubspotSourceConfig, SalesforceSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { hubspotConnector } from '../../src/ingest/connectors/hubspot.ts';
import { salesforceConnector } from '../../src/ingest/connectors/salesforce.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { statusReport, type UnitStatus } from '../../src/store/status-report.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { recordingSleep, runSync, storedCursor, storedDeals, storedRejects, TEST_NOW, unit } from '../helpers/sync.ts';
import { fakeHubspot, type FakeHubspot, type HubspotRecord } from '../ingest/fakes/fake-hubspot.ts';
import { fakeSalesforce, salesforceFixture, type FakeSalesforce } from '../ingest/fakes/fake-salesforce.ts';

let test: MigratedDb;
let db: Database;
let keyNo = 0;
let key: string;

beforeAll(async () => {
  nock.disableNetConnect();
  test = await migratedDb();
  db = test.db;
});
afterAll(async () => {
  await test?.close();
  nock.enableNetConnect();
});
afterEach(() => nock.cleanAll());

/** What `status` shows for one unit of the current source. */
async function statusOf(label: string): Promise<UnitStatus> {
  const source = (await statusReport(db)).sources.find((s) => s.key === key);
  const u = source?.units.find((x) => x.object === label || x.file === label);
  if (!u) throw new Error(`status has no unit '${label}' for ${key}: ${JSON.stringify(source?.units)}`);
  return u;
}

/** Deals stored per external id, to find duplicates. */
async function dealCopies(): Promise<{ rows: number; distinct: number }> {
  const [r] = await db.sql.all<{ n: number; d: number }>(
    `SELECT count(*) AS n, count(DISTINCT d."external_id") AS d FROM "deals" d JOIN "sources" s ON s."id" = d."source_id" WHERE s."key" = ?`,
    [key],
  );
  return { rows: Number(r!.n), distinct: Number(r!.d) };
}

describe('HubSpot', () => {
  let fake: FakeHubspot;
  beforeEach(() => {
    fake = fakeHubspot();
    key = `hs-fault-${++keyNo}`;
  });
  const source = (): HubspotSourceConfig =>
    parseConfig(`sources:\n  ${key}:\n    kind: hubspot\n    base_url: ${fake.base}\n    objects: [deals]\n`, 'test.yaml').sources[key] as HubspotSourceConfig;
  const connector = (token = fake.token) =>
    hubspotConnector(source(), {
      key,
      env: { HUBSPOT_TOKEN: token },
      log: silentLogger(),
      clock: fixedClock(TEST_NOW),
      http: { sleep: recordingSleep().sleep, random: () => 0.5 },
      pageSize: 2,
    });
  const T0 = Date.parse('2024-03-01T00:00:00.000Z');
  const deals = (n: number): HubspotRecord[] =>
    Array.from({ length: n }, (_, i) => {
      const mod = new Date(T0 + i * 3_600_000).toISOString();
      return {
        id: String(30_000_001 + i),
        properties: {
          dealname: `Deal ${i + 1}`,
          dealstage: i % 2 ? 'closedwon' : 'qualifiedtobuy',
          pipeline: 'default',
          amount: String(100 + i),
          createdate: '2024-01-01T00:00:00.000Z',
          closedate: '2024-02-01T00:00:00.000Z',
          hs_lastmodifieddate: mod,
        },
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: mod,
      };
    });
  const isSearch = (r: { path: string }) => r.path.endsWith('/deals/search');
  /** Matches the deal searches from the `n`-th of the fake's life on (pages are time windows, not offsets). */
  const searchesFrom = (n: number) => (r: { path: string }) => isSearch(r) && fake.requests.filter(isSearch).length >= n;

  it('a 500 in the middle of pagination that outlasts the retries: earlier pages kept, status says why, the next run completes without duplicates', async () => {
    fake.objects.deals = deals(5);
    fake.fail(searchesFrom(2), { status: 500, body: { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' } }, 5);
    const [failed] = await runSync(db, key, connector());
    expect(failed!.status).toBe('failed');
    expect(failed!.counts.written).toBe(2);
    const shown = await statusOf('deals');
    expect(shown.status).toBe('failed');
    expect(shown.error).toBe('[hubspot] deals, search page 2: HTTP 500: internal error (gave up after 5 tries)');
    expect(await storedCursor(db, key, 'deals')).toBeUndefined();

    const [resumed] = await runSync(db, key, connector());
    expect(resumed!.status).toBe('succeeded');
    expect(await dealCopies()).toEqual({ rows: 5, distinct: 5 });
    expect((await statusOf('deals')).error).toBeNull();
  });

  it('a truncated JSON body: the page is kept as a rejected row with its reason, the unit fails in status, and the next run reads it again', async () => {
    fake.objects.deals = deals(5);
    await runSync(db, key, connector());
    const cursor = await storedCursor(db, key, 'deals');
    fake.objects.deals.push(
      ...deals(9)
        .slice(5)
        .map((d) => ({ ...d, updatedAt: '2024-03-02T00:00:00.000Z', properties: { ...d.properties, hs_lastmodifieddate: '2024-03-02T00:00:00.000Z' } })),
    );
    fake.fail(searchesFrom(fake.requests.filter(isSearch).length + 2), {
      status: 200,
      body: '{"total":4,"results":[{"id":"30000008","properties":{"dealname":"Deal 8","amou',
    });
    const [cut] = await runSync(db, key, connector());
    expect(cut!.status).toBe('failed');
    expect(cut!.error).toMatch(
      /^\[hubspot\] deals, search page 2: the response is not valid JSON \(.+\)\n {2}fix: the rows read before this page are stored; the next run reads this page again from the saved cursor$/,
    );
    const rejects = await storedRejects(db, key);
    expect(rejects.map((r) => [r.kind, r.reason.split(' (')[0]])).toEqual([['unreadable', '[hubspot] deals, search page 2: the response is not valid JSON']]);
    expect(rejects[0]!.raw).toContain('"dealname":"Deal 8"');
    const shown = await statusOf('deals');
    // The unreadable page counts as one line read and rejected, so read = written + rejected still holds.
    expect([shown.status, shown.read, shown.written, shown.rejected, shown.accounted]).toEqual(['failed', 3, 2, 1, true]);
    expect(shown.error).toBe(cut!.error);
    expect(await storedCursor(db, key, 'deals')).toBe(cursor);

    const [again] = await runSync(db, key, connector());
    expect(again!.status).toBe('succeeded');
    expect(await dealCopies()).toEqual({ rows: 9, distinct: 9 });
    expect((await storedDeals(db, key)).map((d) => d.amount)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108]);
  });

  it('a mapped property that disappears from the schema stops the read with a config error in status instead of storing it empty', async () => {
    fake.objects.deals = deals(4);
    await runSync(db, key, connector());
    const cursor = await storedCursor(db, key, 'deals');
    // HubSpot answers every property it knows (null when empty) and silently leaves out one that no
    // longer exists: `amount` was deleted, the deals changed.
    const changed = deals(4).map((d) => {
      const properties = { ...d.properties, hs_lastmodifieddate: '2024-03-03T00:00:00.000Z', amount: String(Number(d.properties.amount) * 2) };
      const { amount: _gone, ...served } = properties;
      return {
        ...d,
        properties,
        updatedAt: '2024-03-03T00:00:00.000Z',
        raw: {
          id: d.id,
          properties: { hs_object_id: d.id, hubspot_owner_id: null, ...served },
          createdAt: d.createdAt,
          updatedAt: '2024-03-03T00:00:00.000Z',
          archived: false,
        },
      };
    });
    fake.objects.deals = changed;
    const [stopped] = await runSync(db, key, connector());
    expect(stopped!.status).toBe('failed');
    expect(stopped!.error).toBe(
      `[hubspot] deals, search page 1: 'amount' missing from every result: deleted or renamed in HubSpot?\n  fix: compare the property names under sources.${key}.fields with Settings → Properties in HubSpot; the next run reads from the saved cursor`,
    );
    expect((await statusOf('deals')).error).toBe(stopped!.error);
    // Nothing was overwritten with an empty amount, and the cursor did not move past the changes.
    expect((await storedDeals(db, key)).map((d) => d.amount)).toEqual([100, 101, 102, 103]);
    expect(await storedCursor(db, key, 'deals')).toBe(cursor);

    // The property is restored: the changes are read from the saved cursor.
    fake.objects.deals = changed.map(({ raw: _raw, ...d }) => d);
    const [fixed] = await runSync(db, key, connector());
    expect(fixed!.status).toBe('succeeded');
    expect((await storedDeals(db, key)).map((d) => d.amount)).toEqual([200, 202, 204, 206]);
  });

  it('an expired token (HTTP 401) fails the unit with what to do, shown by status', async () => {
    fake.objects.deals = deals(3);
    const [refused] = await runSync(db, key, connector('pat-na1-expired'));
    expect(refused!.status).toBe('failed');
    const shown = await statusOf('deals');
    expect(shown.status).toBe('failed');
    expect(shown.error).toBe(
      '[hubspot] deal pipelines: HTTP 401: Authentication credentials not found. (HubSpot correlationId c0ffee00-0000-0000-0000-000000000000)\n  fix: check the private app access token in HUBSPOT_TOKEN: it may be mistyped or revoked',
    );
    expect(await dealCopies()).toEqual({ rows: 0, distinct: 0 });
  });
});

describe('Salesforce', () => {
  let fake: FakeSalesforce;
  beforeEach(() => {
    fake = fakeSalesforce();
    fake.objects.User = salesforceFixture('users.json');
    fake.objects.Opportunity = salesforceFixture('opportunities.json');
    key = `sf-fault-${++keyNo}`;
  });
  const REFRESH = `    refresh:\n      client_id_env: SF_CLIENT_ID\n      client_secret_env: SF_CLIENT_SECRET\n      refresh_token_env: SF_REFRESH_TOKEN\n      token_url: https://login.salesforce.test/services/oauth2/token\n`;
  const connector = (extra: string, token = fake.validToken) =>
    salesforceConnector(parseConfig(`sources:\n  ${key}:\n    kind: salesforce\n${extra}`, 'test.yaml').sources[key] as SalesforceSourceConfig, {
      key,
      env: {
        SALESFORCE_INSTANCE_URL: fake.instanceUrl,
        SALESFORCE_TOKEN: token,
        SF_CLIENT_ID: fake.clientId,
        SF_CLIENT_SECRET: fake.clientSecret,
        SF_REFRESH_TOKEN: fake.refreshToken,
      },
      log: silentLogger(),
      clock: fixedClock(TEST_NOW),
      http: { sleep: recordingSleep().sleep, random: () => 0.5 },
    });

  it('a truncated JSON body on a nextRecordsUrl page: rejected with its reason, failed in status, read again next run', async () => {
    fake.pageSize = 1;
    const total = (fake.objects.Opportunity as unknown[]).length;
    expect(total).toBeGreaterThan(2);
    fake.fail((r) => /\/queryAll\/01g\w+-1$/.test(r.path), {
      status: 200,
      body: '{"totalSize":3,"done":false,"records":[{"attributes":{"type":"Opportunity"},"Id":"006',
    });
    const [opportunities] = await runSync(db, key, connector('    objects: [Opportunity]\n'));
    expect(opportunities!.status).toBe('failed');
    const shown = await statusOf('Opportunity');
    expect(shown.status).toBe('failed');
    expect(shown.error).toMatch(/^\[salesforce\] Opportunity, page 2: the response is not valid JSON/);
    expect((await storedRejects(db, key)).map((r) => r.kind)).toEqual(['unreadable']);
    expect(await storedCursor(db, key, 'Opportunity')).toBeUndefined();
    expect((await dealCopies()).rows).toBe(1);

    const [again] = await runSync(db, key, connector('    objects: [Opportunity]\n'));
    expect(again!.status).toBe('succeeded');
    // Every opportunity once, but the one without a stage, which is rejected with its reason.
    expect(await dealCopies()).toEqual({ rows: total - 1, distinct: total - 1 });
    expect((await storedRejects(db, key)).map((r) => r.kind)).toContain('missing');
  });

  it('INVALID_SESSION_ID without refresh configured: a clear error in status; with refresh: renewed and synced', async () => {
    const [stale] = await runSync(db, key, connector('    objects: [User]\n', '00DKY000000Abcd!AQ4AQ.expired'));
    expect(stale!.status).toBe('failed');
    expect((await statusOf('User')).error).toBe(
      '[salesforce] User, page 1: HTTP 401 INVALID_SESSION_ID: Session expired or invalid\n  fix: renew the access token in SALESFORCE_TOKEN, or configure refresh: so that crm-pulse renews it itself',
    );
    const [renewed] = await runSync(db, key, connector(`    objects: [User]\n${REFRESH}`, '00DKY000000Abcd!AQ4AQ.expired'));
    expect(renewed!.status).toBe('succeeded');
    const shown = await statusOf('User');
    expect([shown.status, shown.error]).toEqual(['succeeded', null]);
    expect(shown.written).toBe((fake.objects.User as unknown[]).length);
    expect(fake.issued).toHaveLength(1);
  });
});
