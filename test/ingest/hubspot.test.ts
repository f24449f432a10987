// HubSpot-specific behaviour, against the fake portal: deal stages through the pipelines API,
// owners, windowing on time past the 10,000-result cap, archived records, and rate limits.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { HubspotSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { hubspotConnector } from '../../src/ingest/connectors/hubspot.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { recordingSleep, runSync, storedCursor, storedDeals, storedRejects, TEST_NOW, unit } from '../helpers/sync.ts';
import { CAP, fakeHubspot, hubspotFixture, type FakeHubspot, type HubspotRecord } from './fakes/fake-hubspot.ts';

let test: MigratedDb;
let db: Database;
let fake: FakeHubspot;
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
beforeEach(() => {
  fake = fakeHubspot();
  key = `hs-${++keyNo}`;
});
afterEach(() => {
  nock.cleanAll();
  // Every request the connector sent, and every answer the fake gave, kept to HubSpot's spec.
  expect(fake.nonConforming).toEqual([]);
});

function source(extra = ''): HubspotSourceConfig {
  const config = parseConfig(`sources:\n  ${key}:\n    kind: hubspot\n    base_url: ${fake.base}\n${extra}`, 'test.yaml');
  return config.sources[key] as HubspotSourceConfig;
}

function connector(src = source('    objects: [owners, deals]\n'), options: { sleep?: (ms: number) => Promise<void>; pageSize?: number } = {}) {
  return hubspotConnector(src, {
    key,
    env: { HUBSPOT_TOKEN: fake.token },
    log: silentLogger(),
    clock: fixedClock(TEST_NOW),
    http: { sleep: options.sleep ?? recordingSleep().sleep, random: () => 0.5 },
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
}

const searches = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/search'));

describe('deal stages and owners', () => {
  it('maps stages to open/won/lost through the pipelines API, keeps the stage label, and rejects what it cannot tell', async () => {
    fake.owners = hubspotFixture('owners.json');
    fake.objects.deals = hubspotFixture<HubspotRecord[]>('deals.json');
    const results = await runSync(db, key, connector());
    expect(unit(results, 'deals').status).toBe('succeeded');
    expect(await storedDeals(db, key)).toEqual([
      { id: '18123001', name: 'Acme renewal', stage: 'Closed Won', status: 'won', amount: 12500.5, owner: 'Ann Lee', closed: '2024-02-28' },
      { id: '18123002', name: 'Globex pilot', stage: 'Closed Lost', status: 'lost', amount: 4000, owner: 'Bob Diaz', closed: '2024-02-10' },
      // open: closedate is a forecast, not a close date; the owner is archived, and kept
      { id: '18123003', name: 'Initech expansion', stage: 'Contract Sent', status: 'open', amount: 8000, owner: 'Cy Moss', closed: null },
      // a second pipeline with stage ids of its own
      { id: '18123004', name: 'Umbrella renewal', stage: 'Renewed', status: 'won', amount: 30000, owner: 'Ann Lee', closed: '2024-02-15' },
      { id: '18123005', name: 'Hooli renewal', stage: 'Churned', status: 'lost', amount: 22000, owner: null, closed: '2024-02-20' },
      // an owner id no owner has: kept, left empty, counted in the notes
      { id: '18123008', name: 'Wayne services', stage: 'Appointment Scheduled', status: 'open', amount: null, owner: null, closed: null },
    ]);
    expect(unit(results, 'deals').notes).toContain('owner: 1 rows naming an unknown owners record (kept, left empty)');
    const rejects = await storedRejects(db, key);
    expect(rejects.map((r) => [r.file, r.line, r.kind, r.reason])).toEqual([
      [
        'deals/18123006',
        0,
        'invalid',
        "stage 'Downgraded' of pipeline 'Renewals' is closed with probability 0.5, so it is neither won (1.0) nor lost (0.0); map it with fields.deals.status: { from: dealstage, map: { <stage id>: won } }",
      ],
      ['deals/18123007', 0, 'invalid', "dealstage 'retiredstage' is not a stage of any deal pipeline (the deal's pipeline is 'default')"],
    ]);
    expect(JSON.parse(rejects[0]!.raw).properties.dealname).toBe('Vandelay downgrade');
    expect(fake.requests.filter((r) => r.path === '/crm/v3/pipelines/deals')).toHaveLength(1);
  });

  it('lets the config map status and fields itself', async () => {
    fake.owners = hubspotFixture('owners.json');
    fake.objects.deals = hubspotFixture<HubspotRecord[]>('deals.json').slice(5, 6);
    const src = source(`    objects: [owners, deals]
    fields:
      deals:
        status: { from: dealstage, map: { '112233404': lost }, other: open }
        amount: null
      owners:
        name: email
`);
    await runSync(db, key, connector(src));
    expect(await storedDeals(db, key)).toEqual([
      { id: '18123006', name: 'Vandelay downgrade', stage: 'Downgraded', status: 'lost', amount: null, owner: 'bob.diaz@example.com', closed: '2024-02-21' },
    ]);
    expect(fake.requests.filter((r) => r.path === '/crm/v3/pipelines/deals')).toHaveLength(1);
  });
});

/** `n` deals modified from `startMs` on, `stepMs` apart (0: all at once). */
function deals(n: number, startMs: number, stepMs: number, firstId = 20_000_001): HubspotRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const mod = new Date(startMs + i * stepMs).toISOString();
    return {
      id: String(firstId + i),
      properties: {
        dealname: `Deal ${i + 1}`,
        dealstage: i % 3 === 0 ? 'closedwon' : 'qualifiedtobuy',
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
}

const T0 = Date.parse('2024-03-01T00:00:00.000Z');
const filtersOf = (r: { body: Record<string, unknown> | undefined }) =>
  (r.body!.filterGroups as { filters: { propertyName: string; operator: string; value: string }[] }[])[0]!.filters;

describe('associations', () => {
  it("takes a deal's and a ticket's company, and a ticket's contact, from their primary associations", async () => {
    const at = '2024-03-01T09:00:00.000Z';
    fake.objects.companies = [
      { id: '501', properties: { name: 'Acme', hs_lastmodifieddate: at }, createdAt: at, updatedAt: at },
      { id: '502', properties: { name: 'Globex', hs_lastmodifieddate: at }, createdAt: at, updatedAt: at },
    ];
    fake.objects.contacts = [{ id: '601', properties: { firstname: 'Mia', lastname: 'Wong', lastmodifieddate: at }, createdAt: at, updatedAt: at }];
    fake.objects.deals = hubspotFixture<HubspotRecord[]>('deals.json').slice(0, 2);
    fake.objects.tickets = [{ id: '701', properties: { subject: 'Slow', createdate: at, hs_lastmodifieddate: at }, createdAt: at, updatedAt: at }];
    const unlabelled = { category: 'HUBSPOT_DEFINED', typeId: 341, label: null };
    const primary = { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' };
    fake.associations['deals/companies'] = {
      '18123001': [
        { toObjectId: 502, associationTypes: [unlabelled] },
        { toObjectId: 501, associationTypes: [unlabelled, primary] },
      ],
    };
    fake.associations['tickets/companies'] = { '701': [{ toObjectId: 502, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 339, label: null }] }] };
    fake.associations['tickets/contacts'] = { '701': [{ toObjectId: 601, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 16, label: null }] }] };
    const results = await runSync(db, key, connector(source('    objects: [companies, contacts, deals, tickets]\n')));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const deals = await db.sql.all(
      `SELECT d."external_id", a."name" AS account FROM "deals" d JOIN "sources" s ON s."id" = d."source_id" LEFT JOIN "accounts" a ON a."id" = d."account_id" WHERE s."key" = ? ORDER BY 1`,
      [key],
    );
    expect(deals).toEqual([
      { external_id: '18123001', account: 'Acme' },
      { external_id: '18123002', account: null },
    ]);
    const tickets = await db.sql.all(
      `SELECT a."name" AS account, c."name" AS customer FROM "tickets" t JOIN "sources" s ON s."id" = t."source_id" LEFT JOIN "accounts" a ON a."id" = t."account_id" LEFT JOIN "customers" c ON c."id" = t."customer_id" WHERE s."key" = ?`,
      [key],
    );
    expect(tickets).toEqual([{ account: 'Globex', customer: 'Mia Wong' }]);
    expect(fake.requests.filter((r) => r.path.startsWith('/crm/v4/associations/')).map((r) => [r.path, r.body])).toEqual([
      ['/crm/v4/associations/deals/companies/batch/read', { inputs: [{ id: '18123001' }, { id: '18123002' }] }],
      ['/crm/v4/associations/tickets/companies/batch/read', { inputs: [{ id: '701' }] }],
      ['/crm/v4/associations/tickets/contacts/batch/read', { inputs: [{ id: '701' }] }],
    ]);
  });
});

describe('windowing on time', () => {
  it('reads 10,050 deals in windows re-anchored on the last modification time, never paging towards the cap', async () => {
    fake.objects.deals = deals(10_050, T0, 1000);
    const [result] = await runSync(db, key, connector(source('    objects: [deals]\n')));
    expect(result!.status).toBe('succeeded');
    expect(result!.counts).toMatchObject({ read: 10_050, written: 10_050, inserted: 10_050, rejected: 0 });
    const s = searches();
    expect(s.every((r) => r.body!.after === undefined)).toBe(true);
    // Each window starts at the last time seen; the record at that time comes again and is dropped.
    expect(s).toHaveLength(Math.ceil((10_050 - 1) / 199));
    expect(filtersOf(s[1]!)).toEqual([{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(T0 + 199_000) }]);
    expect(s[0]!.body!.sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);
    expect(await storedCursor(db, key, 'deals')).toBe(new Date(T0 + 10_049_000).toISOString());
  });

  it('pages a bulk import of 10,050 deals with one modification time through after up to the cap, then by hs_object_id', async () => {
    fake.objects.deals = [...deals(10_050, T0, 0), ...deals(3, T0 + 60_000, 1000, 30_000_001)];
    const [result] = await runSync(db, key, connector(source('    objects: [deals]\n')));
    expect(result!.status).toBe('succeeded');
    expect(result!.counts).toMatchObject({ read: 10_053, written: 10_053, inserted: 10_053 });
    const s = searches();
    const afters = s
      .map((r) => r.body!.after)
      .filter((a) => a !== undefined)
      .map(Number);
    expect(Math.max(...afters)).toBe(CAP - 200);
    const byId = s.filter((r) => filtersOf(r).some((f) => f.propertyName === 'hs_object_id'));
    expect(filtersOf(byId[0]!)).toEqual([
      { propertyName: 'hs_lastmodifieddate', operator: 'EQ', value: String(T0) },
      { propertyName: 'hs_object_id', operator: 'GT', value: '0' },
    ]);
    expect(byId[0]!.body!.sorts).toEqual([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]);
    expect(filtersOf(s.at(-1)!)).toEqual([{ propertyName: 'hs_lastmodifieddate', operator: 'GT', value: String(T0) }]);
    expect((await storedDeals(db, key)).length).toBe(10_053);
  });

  it('misses nothing when records are archived or modified while it reads', async () => {
    fake.objects.deals = deals(9, T0, 1000);
    fake.onRequest = (r) => {
      if (!r.path.endsWith('/search') || searches().length !== 2) return;
      // The first two deals were read on page 1. With offsets, page 2 would now start two
      // records late; windows on time do not care.
      fake.objects.deals[0]!.archived = true;
      fake.objects.deals[0]!.archivedAt = new Date(T0 + 20_000).toISOString();
      fake.objects.deals[1]!.properties.amount = '999';
      fake.objects.deals[1]!.properties.hs_lastmodifieddate = new Date(T0 + 30_000).toISOString();
    };
    const [result] = await runSync(db, key, connector(source('    objects: [deals]\n'), { pageSize: 2 }));
    expect(result!.status).toBe('succeeded');
    const stored = await storedDeals(db, key);
    expect(stored.map((d) => d.id)).toEqual(
      deals(9, T0, 1000)
        .slice(1)
        .map((d) => d.id),
    );
    expect(stored.find((d) => d.id === '20000002')!.amount).toBe(999);
    expect(result!.notes).toContain('1 records archived or deleted in the source were removed');
  });
});

describe('archived records', () => {
  it('removes records archived in HubSpot, brings back restored ones, and keeps archived owners', async () => {
    fake.owners = hubspotFixture('owners.json');
    fake.objects.companies = [
      {
        id: '501',
        properties: {
          name: 'Acme',
          industry: 'SOFTWARE',
          country: 'Kenya',
          numberofemployees: '250',
          annualrevenue: '1000000',
          founded_year: '1999',
          hs_lastmodifieddate: '2024-03-01T09:00:00.000Z',
        },
        createdAt: '2024-01-01T00:00:00Z',
        updatedAt: '2024-03-01T09:00:00.000Z',
      },
      {
        id: '502',
        properties: { name: 'Globex', hs_lastmodifieddate: '2024-03-01T09:01:00.000Z' },
        createdAt: '2024-01-01T00:00:00Z',
        updatedAt: '2024-03-01T09:01:00.000Z',
      },
    ];
    fake.objects.contacts = [
      {
        id: '601',
        properties: {
          firstname: 'Mia',
          lastname: 'Wong',
          email: 'mia@acme.test',
          associatedcompanyid: '501',
          createdate: '2024-01-02T00:00:00.000Z',
          lastmodifieddate: '2024-03-01T09:02:00.000Z',
        },
        createdAt: '2024-01-02T00:00:00Z',
        updatedAt: '2024-03-01T09:02:00.000Z',
      },
      {
        id: '602',
        properties: {
          firstname: 'Raj',
          lastname: null,
          email: 'raj@globex.test',
          associatedcompanyid: '502',
          createdate: '2024-01-03T00:00:00.000Z',
          lastmodifieddate: '2024-03-01T09:03:00.000Z',
        },
        createdAt: '2024-01-03T00:00:00Z',
        updatedAt: '2024-03-01T09:03:00.000Z',
      },
    ];
    fake.objects.deals = deals(3, T0, 1000);
    const src = source('    objects: [owners, companies, contacts, deals]\n');
    const first = await runSync(db, key, connector(src));
    expect(first.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const customers = async () =>
      db.sql.all<{ external_id: string; name: string; account: string | null }>(
        `SELECT c."external_id", c."name", a."name" AS account FROM "customers" c JOIN "sources" s ON s."id" = c."source_id" LEFT JOIN "accounts" a ON a."id" = c."account_id" WHERE s."key" = ? ORDER BY c."external_id"`,
        [key],
      );
    expect(await customers()).toEqual([
      { external_id: '601', name: 'Mia Wong', account: 'Acme' },
      { external_id: '602', name: 'Raj', account: 'Globex' },
    ]);
    const owners = await db.sql.all<{ name: string; office: string | null }>(
      `SELECT o."name", o."office" FROM "owners" o JOIN "sources" s ON s."id" = o."source_id" WHERE s."key" = ? ORDER BY o."name"`,
      [key],
    );
    expect(owners).toEqual([
      { name: 'Ann Lee', office: 'West' },
      { name: 'Bob Diaz', office: 'East' },
      { name: 'Cy Moss', office: null },
    ]);

    // Archived after the first sync: a company (its contact keeps no account) and a deal.
    Object.assign(fake.objects.companies[1]!, { archived: true, archivedAt: '2025-12-31T23:00:00.000Z' });
    Object.assign(fake.objects.deals[1]!, { archived: true, archivedAt: '2025-12-31T23:00:00.000Z' });
    const second = await runSync(db, key, connector(src));
    expect(unit(second, 'companies').notes).toContain('1 records archived or deleted in the source were removed');
    expect(unit(second, 'deals').notes).toContain('1 records archived or deleted in the source were removed');
    expect((await storedDeals(db, key)).map((d) => d.id)).toEqual(['20000001', '20000003']);
    expect(await customers()).toEqual([
      { external_id: '601', name: 'Mia Wong', account: 'Acme' },
      { external_id: '602', name: 'Raj', account: null },
    ]);
    const archivedList = fake.requests.filter((r) => r.path.startsWith('/crm/v3/objects/deals?'));
    expect(archivedList.at(-1)!.path).toContain('archived=true');

    // Restored: HubSpot gives it a new modification time, so search returns it again.
    Object.assign(fake.objects.deals[1]!, { archived: false, archivedAt: undefined });
    fake.objects.deals[1]!.properties.hs_lastmodifieddate = '2025-12-31T23:30:00.000Z';
    await runSync(db, key, connector(src));
    expect((await storedDeals(db, key)).map((d) => d.id)).toEqual(['20000001', '20000002', '20000003']);
  });
});

describe('rate limits and errors', () => {
  it('waits out a 429 for the window its rate-limit headers give when there is no Retry-After', async () => {
    fake.objects.deals = deals(3, T0, 1000);
    fake.fail((r) => r.path.endsWith('/search'), {
      status: 429,
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'c1',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
      headers: { 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '0' },
    });
    const { sleeps, sleep } = recordingSleep();
    const [result] = await runSync(db, key, connector(source('    objects: [deals]\n'), { sleep }));
    expect(result!.status).toBe('succeeded');
    expect(sleeps).toEqual([10_000]);
  });

  it('does not wait out the daily limit: the unit fails at once and the cursor stays', async () => {
    fake.objects.deals = deals(3, T0, 1000);
    await runSync(db, key, connector(source('    objects: [deals]\n')));
    const before = await storedCursor(db, key, 'deals');
    fake.objects.deals.push(...deals(2, T0 + 3_600_000, 1000, 20_000_101));
    fake.fail((r) => r.path.endsWith('/search'), {
      status: 429,
      body: { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
    });
    const { sleeps, sleep } = recordingSleep();
    const [result] = await runSync(db, key, connector(source('    objects: [deals]\n'), { sleep }));
    expect(result!.status).toBe('failed');
    expect(result!.error).toBe(
      "[hubspot] deals, search page 1: HTTP 429, the daily API limit is used up: You have reached your daily limit.\n  fix: the limit resets at midnight in the portal's time zone; the next run resumes from the saved cursor",
    );
    expect(sleeps).toEqual([]);
    expect(await storedCursor(db, key, 'deals')).toBe(before);
  });

  it('says which variable is missing, and what a refused token means', async () => {
    expect(() => hubspotConnector(source(), { key, env: {}, log: silentLogger(), clock: fixedClock(TEST_NOW) })).toThrow(
      new CrmPulseError('config', `[hubspot] sources.${key}.token_env names HUBSPOT_TOKEN, which is not set`, {
        hint: 'set HUBSPOT_TOKEN in the environment or in .env (see .env.example)',
      }),
    );
    const wrong = hubspotConnector(source('    objects: [owners]\n'), {
      key,
      env: { HUBSPOT_TOKEN: 'pat-na1-wrong' },
      log: silentLogger(),
      clock: fixedClock(TEST_NOW),
      http: { sleep: recordingSleep().sleep },
    });
    const [result] = await runSync(db, key, wrong);
    expect(result!.error).toBe(
      '[hubspot] owners, page 1: HTTP 401: Authentication credentials not found. (HubSpot correlationId c0ffee00-0000-0000-0000-000000000000)\n  fix: check the private app access token in HUBSPOT_TOKEN: it may be mistyped or revoked',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('maps tickets with their defaults', async () => {
    fake.owners = hubspotFixture('owners.json');
    fake.objects.tickets = [
      {
        id: '701',
        properties: {
          subject: 'Cannot log in',
          hs_ticket_category: 'PRODUCT_ISSUE',
          source_type: 'EMAIL',
          hs_ticket_priority: 'HIGH',
          hubspot_owner_id: '41629779',
          createdate: '2024-03-01T08:00:00.000Z',
          first_agent_reply_date: '2024-03-01T09:30:00.000Z',
          closed_date: '2024-03-02T08:00:00.000Z',
          hs_lastmodifieddate: '2024-03-02T08:00:00.000Z',
        },
        createdAt: '2024-03-01T08:00:00Z',
        updatedAt: '2024-03-02T08:00:00Z',
      },
      {
        id: '702',
        properties: { subject: 'Invoice', hs_ticket_category: null, createdate: '2024-03-03T08:00:00.000Z', hs_lastmodifieddate: '2024-03-03T08:00:00.000Z' },
        createdAt: '2024-03-03T08:00:00Z',
        updatedAt: '2024-03-03T08:00:00Z',
      },
      {
        id: '703',
        properties: {
          subject: 'Broken',
          createdate: '2024-03-03T08:00:00.000Z',
          closed_date: '2024-03-01T08:00:00.000Z',
          hs_lastmodifieddate: '2024-03-03T09:00:00.000Z',
        },
        createdAt: '2024-03-03T08:00:00Z',
        updatedAt: '2024-03-03T09:00:00Z',
      },
    ];
    const src = source(`    objects: [owners, tickets]
    fields:
      tickets:
        category: { from: hs_ticket_category, map: { PRODUCT_ISSUE: complaint }, default: general }
`);
    const results = await runSync(db, key, connector(src));
    expect(unit(results, 'tickets').counts).toMatchObject({ read: 3, written: 2, rejected: 1 });
    const tickets = await db.sql.all<{ external_id: string; category: string; channel: string | null; priority: string | null; owner: string | null }>(
      `SELECT t."external_id", t."category", t."channel", t."priority", o."name" AS owner FROM "tickets" t JOIN "sources" s ON s."id" = t."source_id" LEFT JOIN "owners" o ON o."id" = t."owner_id" WHERE s."key" = ? ORDER BY t."external_id"`,
      [key],
    );
    expect(tickets).toEqual([
      { external_id: '701', category: 'complaint', channel: 'EMAIL', priority: 'HIGH', owner: 'Ann Lee' },
      { external_id: '702', category: 'general', channel: null, priority: null, owner: null },
    ]);
    expect((await storedRejects(db, key)).map((r) => [r.file, r.kind, r.reason])).toEqual([['tickets/703', 'invalid', 'resolved_at is before opened_at']]);
  });
});

describe('through the app', () => {
  it('syncs a configured HubSpot source with the token read from the environment', async () => {
    const { createApp } = await import('../../src/app.ts');
    const { readEnv } = await import('../../src/config/env.ts');
    const { tempFiles } = await import('../helpers/import.ts');
    fake.owners = hubspotFixture('owners.json');
    fake.objects.deals = hubspotFixture<HubspotRecord[]>('deals.json').slice(0, 3);
    const dir = tempFiles({
      'crm-pulse.yaml': `sources:\n  portal:\n    kind: hubspot\n    token_env: PORTAL_TOKEN\n    base_url: ${fake.base}\n    objects: [owners, deals]\n`,
    });
    const appDb = tempSqlite();
    const app = await createApp(
      readEnv({ DATABASE_URL: appDb.url, CRM_PULSE_CONFIG: `${dir}/crm-pulse.yaml`, PORTAL_TOKEN: fake.token }),
      silentLogger(),
      fixedClock(TEST_NOW),
    );
    try {
      const results = await app.ingest('portal');
      expect(results.map((r) => [r.label, r.status, r.counts.written])).toEqual([
        ['owners', 'succeeded', 3],
        ['deals', 'succeeded', 3],
      ]);
      expect((await storedDeals(app.db, 'portal')).map((d) => d.status)).toEqual(['won', 'lost', 'open']);
    } finally {
      await app.close();
    }
    await expect(
      createApp(readEnv({ DATABASE_URL: appDb.url, CRM_PULSE_CONFIG: `${dir}/crm-pulse.yaml` }), silentLogger()).then((a) =>
        a.ingest('portal').finally(() => a.close()),
      ),
    ).rejects.toThrow('[hubspot] sources.portal.token_env names PORTAL_TOKEN, which is not set');
    await appDb.drop();
  });
});
