// HubSpot's published OpenAPI specs, as far as crm-pulse relies on them (our own wording in
// fakes/hubspot-spec.ts): the rules refuse what the spec refuses, the fake answers only as the
// spec allows, and the connector sends only what it allows and handles what the spec may answer.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { HubspotSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { hubspotConnector } from '../../src/ingest/connectors/hubspot.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { recordingSleep, runSync, TEST_NOW } from '../helpers/sync.ts';
import { fakeHubspot, hubspotFixture, type FakeHubspot, type HubspotRecord } from './fakes/fake-hubspot.ts';
import { hubspotRequestProblems, hubspotResponseProblems } from './fakes/hubspot-spec.ts';

const search = (body: Record<string, unknown>) => hubspotRequestProblems('POST', '/crm/v3/objects/0-3/search', body);
const ok = {
  filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' }] }],
  sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
  properties: ['dealname'],
  limit: 200,
};

describe('the rules refuse what the spec refuses', () => {
  it('paths: deals search by type id 0-3 and by name; owners, pipelines, the list and v4 associations; nothing else', () => {
    for (const path of ['/crm/v3/objects/0-3/search', '/crm/v3/objects/deals/search', '/crm/v3/objects/0-5/search', '/crm/v3/objects/companies/search'])
      expect(hubspotRequestProblems('POST', path, ok)).toEqual([]);
    expect(hubspotRequestProblems('GET', '/crm/v3/owners/?limit=100&archived=false', undefined)).toEqual([]);
    expect(hubspotRequestProblems('GET', '/crm/v3/pipelines/deals', undefined)).toEqual([]);
    expect(hubspotRequestProblems('GET', '/crm/v3/objects/0-3?limit=100&archived=true', undefined)).toEqual([]);
    expect(hubspotRequestProblems('POST', '/crm/v4/associations/0-3/companies/batch/read', { inputs: [{ id: '1' }] })).toEqual([]);
    expect(hubspotRequestProblems('POST', '/crm/v3/objects/dealz/search', ok)).toEqual([
      "POST /crm/v3/objects/dealz/search: no such endpoint in HubSpot's spec",
    ]);
    expect(hubspotRequestProblems('GET', '/crm/v3/objects/deals/search', undefined)).toEqual([
      "GET /crm/v3/objects/deals/search: no such endpoint in HubSpot's spec",
    ]);
  });

  it('the search request: filter groups (at most 6), operators, string values and cursors, at most 200 a page', () => {
    expect(search(ok)).toEqual([]);
    expect(search({ ...ok, limit: 201 })).toEqual(['search request/limit: must be <= 200']);
    expect(search({ ...ok, after: 200 })).toEqual(['search request/after: must be string']);
    expect(search({ ...ok, filterGroups: Array.from({ length: 7 }, () => ok.filterGroups[0]) })).toEqual([
      'search request/filterGroups: must NOT have more than 6 items',
    ]);
    expect(search({ ...ok, filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GREATER', value: '1' }] }] })[0]).toMatch(
      /^search request\/filterGroups\/0\/filters\/0\/operator: must be equal to one of the allowed values \["EQ","NEQ","LT","LTE","GT","GTE","BETWEEN","IN","NOT_IN","HAS_PROPERTY","NOT_HAS_PROPERTY","CONTAINS_TOKEN","NOT_CONTAINS_TOKEN"\]/,
    );
    expect(search({ ...ok, filterGroups: [{ filters: [{ propertyName: 'amount', operator: 'GT', value: 1 }] }] })).toEqual([
      'search request/filterGroups/0/filters/0/value: must be string',
    ]);
    expect(search({ ...ok, query: 'q'.repeat(3001) })).toEqual(['search request/query: must NOT have more than 3000 characters']);
    expect(search({ ...ok, filters: [] })).toEqual(["search request: must NOT have additional properties 'filters'"]);
    // The spec types sorts as strings; the live API reads objects (see fakes/hubspot-spec.ts).
    expect(search({ ...ok, sorts: ['hs_lastmodifieddate'] })).toEqual(['search request/sorts/0: must be object']);
  });

  it('answers: property values are strings or null; an error has category, correlationId and message; associations answer 200 or 207', () => {
    const at = '2024-03-01T09:00:00.000Z';
    const answer = (properties: Record<string, unknown>) => ({ total: 1, results: [{ id: '1', properties, createdAt: at, updatedAt: at }] });
    expect(hubspotResponseProblems('POST', '/crm/v3/objects/0-3/search', 200, answer({ amount: '12.5', closedate: null }))).toEqual([]);
    expect(hubspotResponseProblems('POST', '/crm/v3/objects/0-3/search', 200, answer({ amount: 12.5 }))).toEqual([
      'search answer/results/0/properties/amount: must be string,null',
    ]);
    expect(hubspotResponseProblems('POST', '/crm/v3/objects/0-3/search', 200, { results: [] })).toEqual(["search answer: must have required property 'total'"]);
    expect(
      hubspotResponseProblems('GET', '/crm/v3/owners/', 400, {
        category: 'VALIDATION_ERROR',
        correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
        message: 'bad',
      }),
    ).toEqual([]);
    expect(hubspotResponseProblems('GET', '/crm/v3/owners/', 400, { category: 'VALIDATION_ERROR', message: 'bad' })).toEqual([
      "HTTP 400 error body: must have required property 'correlationId'",
    ]);
    const assoc = {
      status: 'COMPLETE',
      results: [{ from: { id: '1' }, to: [{ toObjectId: 5, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }] }] }],
      startedAt: at,
      completedAt: at,
    };
    expect(hubspotResponseProblems('POST', '/crm/v4/associations/deals/companies/batch/read', 207, assoc)).toEqual([]);
    expect(hubspotResponseProblems('POST', '/crm/v4/associations/deals/companies/batch/read', 202, assoc)).toEqual([
      'associations answer: status 202 is neither 200 nor 207',
    ]);
  });
});

describe('the fake and the connector keep to the spec', () => {
  let test: MigratedDb;
  let db: Database;
  let fake: FakeHubspot;
  let n = 0;
  beforeAll(async () => {
    nock.disableNetConnect();
    test = await migratedDb();
    db = test.db;
  });
  afterAll(async () => {
    await test?.close();
    nock.enableNetConnect();
  });
  beforeEach(() => void (fake = fakeHubspot()));
  afterEach(() => void nock.cleanAll());

  const sync = (objects: string) => {
    const key = `spec-${++n}`;
    const src = parseConfig(`sources:\n  ${key}:\n    kind: hubspot\n    base_url: ${fake.base}\n    objects: [${objects}]\n`, 'test.yaml').sources[
      key
    ] as HubspotSourceConfig;
    const connector = hubspotConnector(src, {
      key,
      env: { HUBSPOT_TOKEN: fake.token },
      log: silentLogger(),
      clock: fixedClock(TEST_NOW),
      http: { sleep: recordingSleep().sleep, random: () => 0.5 },
    });
    return runSync(db, key, connector);
  };

  it('a whole sync, with a 207 for a deal without a company, sends and receives only what the spec allows', async () => {
    const at = '2024-03-01T09:00:00.000Z';
    fake.owners = hubspotFixture('owners.json');
    fake.objects.companies = [{ id: '501', properties: { name: 'Acme', hs_lastmodifieddate: at }, createdAt: at, updatedAt: at }];
    fake.objects.deals = hubspotFixture<HubspotRecord[]>('deals.json');
    fake.objects.deals.push({ ...fake.objects.deals[0]!, id: '18123099', archived: true, archivedAt: at });
    fake.associations['deals/companies'] = {
      '18123001': [{ toObjectId: 501, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }] }],
    };
    const results = await sync('owners, companies, deals');
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(fake.nonConforming).toEqual([]);
    const paths = fake.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
    for (const p of [
      'GET /crm/v3/owners/',
      'POST /crm/v3/objects/deals/search',
      'GET /crm/v3/pipelines/deals',
      'GET /crm/v3/objects/deals',
      'POST /crm/v4/associations/deals/companies/batch/read',
    ])
      expect(paths).toContain(p);
    const deals = await db.sql.all(
      `SELECT d."external_id", a."name" AS account FROM "deals" d JOIN "sources" s ON s."id" = d."source_id" LEFT JOIN "accounts" a ON a."id" = d."account_id" WHERE s."key" = ? AND d."external_id" IN ('18123001', '18123002') ORDER BY 1`,
      [`spec-${n}`],
    );
    expect(deals).toEqual([
      { external_id: '18123001', account: 'Acme' },
      { external_id: '18123002', account: null },
    ]);
  });

  it('the fake answers the deals search by type id as by name', async () => {
    fake.objects.deals = hubspotFixture<HubspotRecord[]>('deals.json');
    const ask = (path: string) =>
      fetch(`${fake.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(ok),
      }).then((r) => r.json());
    const byId = (await ask('/crm/v3/objects/0-3/search')) as { total: number; results: { id: string }[] };
    expect(byId.total).toBe(fake.objects.deals.length);
    expect(byId).toEqual(await ask('/crm/v3/objects/deals/search'));
    expect(fake.nonConforming).toEqual([]);
  });

  it("refuses a request outside the spec with HubSpot's 400, and the connector's error quotes its correlationId", async () => {
    const res = await fetch(`${fake.base}/crm/v3/objects/deals/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ok, limit: 500 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ category: 'VALIDATION_ERROR', message: 'search request/limit: must be <= 200' });
    expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.nonConforming).toEqual(['request POST /crm/v3/objects/deals/search: search request/limit: must be <= 200']);

    fake.nonConforming.splice(0);
    fake.fail((r) => r.path === '/crm/v3/pipelines/deals', {
      status: 400,
      body: { status: 'error', category: 'VALIDATION_ERROR', correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf', message: 'Invalid input' },
    });
    const [, deals] = await sync('owners, deals');
    expect(deals!.status).toBe('failed');
    expect(deals!.error).toContain('HTTP 400: Invalid input (HubSpot correlationId aeb5f871-7f07-4993-9211-075dc63e7cbf)');
  });
});
