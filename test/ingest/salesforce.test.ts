// Salesforce-specific behaviour, against the fake org: the mapping of Opportunity, Account,
// Contact, Case and User, nextRecordsUrl, deleted records, the refresh-token flow, and the errors
// the REST API answers with (INVALID_SESSION_ID, MALFORMED_QUERY, REQUEST_LIMIT_EXCEEDED).
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SalesforceSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { salesforceConnector } from '../../src/ingest/connectors/salesforce.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { recordingSleep, runSync, storedCursor, storedDeals, storedRejects, TEST_NOW, unit } from '../helpers/sync.ts';
import { fakeSalesforce, salesforceFixture, type FakeSalesforce, type SalesforceRecord } from './fakes/fake-salesforce.ts';

let test: MigratedDb;
let db: Database;
let fake: FakeSalesforce;
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
  fake = fakeSalesforce();
  fake.objects.User = salesforceFixture('users.json');
  fake.objects.Account = salesforceFixture('accounts.json');
  fake.objects.Opportunity = salesforceFixture('opportunities.json');
  fake.objects.Case = salesforceFixture('cases.json');
  key = `sf-${++keyNo}`;
});
afterEach(() => nock.cleanAll());

const REFRESH = `    refresh:
      client_id_env: SF_CLIENT_ID
      client_secret_env: SF_CLIENT_SECRET
      refresh_token_env: SF_REFRESH_TOKEN
      token_url: https://login.salesforce.test/services/oauth2/token
`;

function source(extra = '    objects: [User, Account, Opportunity]\n'): SalesforceSourceConfig {
  return parseConfig(`sources:\n  ${key}:\n    kind: salesforce\n${extra}`, 'test.yaml').sources[key] as SalesforceSourceConfig;
}

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    SALESFORCE_INSTANCE_URL: fake.instanceUrl,
    SALESFORCE_TOKEN: fake.validToken,
    SF_CLIENT_ID: fake.clientId,
    SF_CLIENT_SECRET: fake.clientSecret,
    SF_REFRESH_TOKEN: fake.refreshToken,
    ...overrides,
  };
}

function connector(src = source(), options: { env?: Record<string, string | undefined>; sleep?: (ms: number) => Promise<void> } = {}) {
  return salesforceConnector(src, {
    key,
    env: options.env ?? env(),
    log: silentLogger(),
    clock: fixedClock(TEST_NOW),
    http: { sleep: options.sleep ?? recordingSleep().sleep, random: () => 0.5 },
  });
}

const queries = () => fake.requests.filter((r) => r.path.startsWith('/services/data/'));
const soqlOf = (path: string) => new URL(path, fake.instanceUrl).searchParams.get('q');

describe('mapping', () => {
  it('maps opportunities through IsWon and IsClosed, with CloseDate only once closed, and their owners and accounts', async () => {
    const results = await runSync(db, key, connector());
    expect(results.map((r) => [r.label, r.status])).toEqual([
      ['User', 'succeeded'],
      ['Account', 'succeeded'],
      ['Opportunity', 'succeeded'],
    ]);
    expect(await storedDeals(db, key)).toEqual([
      { id: '006KY000004AaaaYAA', name: 'Acme renewal', stage: 'Closed Won', status: 'won', amount: 12500.5, owner: 'Ann Lee', closed: '2024-02-28' },
      { id: '006KY000004AaabYAA', name: 'Globex pilot', stage: 'Closed Lost', status: 'lost', amount: 4000, owner: 'Bob Diaz', closed: '2024-02-10' },
      { id: '006KY000004AaacYAA', name: 'Acme expansion', stage: 'Negotiation/Review', status: 'open', amount: 8000, owner: 'Ann Lee', closed: null },
    ]);
    expect((await storedRejects(db, key)).map((r) => [r.file, r.kind, r.reason])).toEqual([
      ['Opportunity/006KY000004AaadYAA', 'missing', "stage (field 'StageName') is required but empty"],
    ]);
    const owners = await db.sql.all(
      `SELECT o."name", o."manager", o."office" FROM "owners" o JOIN "sources" s ON s."id" = o."source_id" WHERE s."key" = ? ORDER BY o."name"`,
      [key],
    );
    expect(owners).toEqual([
      { name: 'Ann Lee', manager: 'Mia Stone', office: 'West' },
      { name: 'Bob Diaz', manager: 'Mia Stone', office: 'East' },
      { name: 'Mia Stone', manager: null, office: null },
    ]);
    const accounts = await db.sql.all(
      `SELECT a."name", a."sector", a."employees", a."year_established" FROM "accounts" a JOIN "sources" s ON s."id" = a."source_id" WHERE s."key" = ? ORDER BY a."name"`,
      [key],
    );
    expect(accounts).toEqual([
      { name: 'Acme', sector: 'Technology', employees: 250, year_established: 1999 },
      { name: 'Globex', sector: null, employees: null, year_established: null },
    ]);
    expect(soqlOf(queries().find((r) => r.path.includes('queryAll') && soqlOf(r.path)!.includes('FROM Opportunity'))!.path)).toBe(
      'SELECT Id, SystemModstamp, IsDeleted, Name, StageName, Amount, OwnerId, AccountId, CreatedDate, CloseDate, IsClosed, IsWon FROM Opportunity ORDER BY SystemModstamp ASC',
    );
    // User has no IsDeleted: query, not queryAll.
    expect(soqlOf(queries()[0]!.path)).toBe('SELECT Id, SystemModstamp, Name, Email, Manager.Name, Department FROM User ORDER BY SystemModstamp ASC');
    expect(queries()[0]!.path.startsWith('/services/data/v62.0/query?')).toBe(true);
  });

  it('maps cases: CreatedDate opens, ClosedDate resolves, and a queue as owner is left empty', async () => {
    const results = await runSync(db, key, connector(source('    objects: [User, Account, Case]\n')));
    expect(unit(results, 'Case').counts).toMatchObject({ read: 2, written: 2, rejected: 0 });
    expect(unit(results, 'Case').notes).toContain('owner: 1 rows naming an unknown owners record (kept, left empty)');
    const tickets = await db.sql.all<{
      external_id: string;
      category: string;
      channel: string;
      opened_at: unknown;
      resolved_at: unknown;
      owner: string | null;
      account: string | null;
    }>(
      `SELECT t."external_id", t."category", t."channel", t."opened_at", t."resolved_at", o."name" AS owner, a."name" AS account
       FROM "tickets" t JOIN "sources" s ON s."id" = t."source_id" LEFT JOIN "owners" o ON o."id" = t."owner_id" LEFT JOIN "accounts" a ON a."id" = t."account_id"
       WHERE s."key" = ? ORDER BY t."external_id"`,
      [key],
    );
    expect(tickets.map((t) => ({ ...t, opened_at: iso(t.opened_at), resolved_at: iso(t.resolved_at) }))).toEqual([
      {
        external_id: '500KY000002CasbAAA',
        category: 'uncategorized',
        channel: 'Web',
        opened_at: '2024-03-03T08:00:00.000Z',
        resolved_at: null,
        owner: null,
        account: null,
      },
      {
        external_id: '500KY000002CaseAAA',
        category: 'Problem',
        channel: 'Email',
        opened_at: '2024-03-01T08:00:00.000Z',
        resolved_at: '2024-03-02T08:00:00.000Z',
        owner: 'Ann Lee',
        account: 'Acme',
      },
    ]);
  });
});

describe('incremental reads', () => {
  it('follows nextRecordsUrl until done, then reads only what changed after the cursor', async () => {
    fake.pageSize = 2;
    fake.objects.Opportunity = opportunities(5, '2024-03-01T10:00:00.000Z');
    const src = source('    objects: [Opportunity]\n');
    const [first] = await runSync(db, key, connector(src));
    expect(first!.counts).toMatchObject({ read: 5, inserted: 5 });
    const pages = queries().map((r) => r.path);
    expect(pages).toHaveLength(3);
    expect(pages[1]).toBe('/services/data/v62.0/queryAll/01gD0000002HU6K000-2');
    expect(pages[2]).toBe('/services/data/v62.0/queryAll/01gD0000002HU6K000-4');
    expect(await storedCursor(db, key, 'Opportunity')).toBe('2024-03-01T10:04:00.000Z');

    fake.objects.Opportunity[2]!.Amount = 999;
    fake.objects.Opportunity[2]!.SystemModstamp = '2024-03-02T08:00:00.000+0000';
    // Deleted in Salesforce (in the recycle bin): queryAll returns it with IsDeleted.
    Object.assign(fake.objects.Opportunity[3]!, { IsDeleted: true, SystemModstamp: '2024-03-02T09:00:00.000+0000' });
    const [second] = await runSync(db, key, connector(src));
    expect(soqlOf(queries()[3]!.path)).toContain('WHERE SystemModstamp > 2024-03-01T10:04:00Z ORDER BY SystemModstamp ASC');
    expect(second!.counts).toMatchObject({ read: 1, updated: 1, inserted: 0 });
    expect(second!.notes).toContain('1 records archived or deleted in the source were removed');
    expect((await storedDeals(db, key)).map((d) => [d.id, d.amount])).toEqual([
      ['006000000000001AAA', 100],
      ['006000000000002AAA', 101],
      ['006000000000003AAA', 999],
      ['006000000000005AAA', 104],
    ]);
  });
});

describe('authentication', () => {
  it('re-authenticates once through the refresh-token flow when the session is invalid', async () => {
    const src = source(`    objects: [User]\n${REFRESH}`);
    const [result] = await runSync(db, key, connector(src, { env: env({ SALESFORCE_TOKEN: '00DKY000000Abcd!AQ4AQ.expired' }) }));
    expect(result!.status).toBe('succeeded');
    expect(fake.requests.map((r) => [r.method, r.path.split('?')[0]])).toEqual([
      ['GET', '/services/data/v62.0/query'],
      ['POST', '/services/oauth2/token'],
      ['GET', '/services/data/v62.0/query'],
    ]);
    expect(fake.requests[1]!.body).toEqual({
      grant_type: 'refresh_token',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      refresh_token: fake.refreshToken,
    });
    expect(fake.issued).toHaveLength(1);
  });

  it('authenticates first when only the refresh variables are set', async () => {
    const [result] = await runSync(db, key, connector(source(`    objects: [User]\n${REFRESH}`), { env: env({ SALESFORCE_TOKEN: undefined }) }));
    expect(result!.status).toBe('succeeded');
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('does not loop when the org refuses the renewed token too', async () => {
    fake.fail((r) => r.path.startsWith('/services/data/'), { status: 401, body: salesforceFixture('invalid-session.json') }, 2);
    const [result] = await runSync(db, key, connector(source(`    objects: [User]\n${REFRESH}`)));
    expect(result!.status).toBe('failed');
    expect(result!.error).toBe(
      '[salesforce] User, page 1: HTTP 401 INVALID_SESSION_ID: Session expired or invalid (again, with a token just renewed)\n  fix: check that the connected app may use the API and that SALESFORCE_INSTANCE_URL is the org the refresh token belongs to',
    );
    expect(fake.issued).toHaveLength(1);
  });

  it('says what to do when the token is refused and no refresh is configured, or the refresh token is', async () => {
    const [stale] = await runSync(db, key, connector(source('    objects: [User]\n'), { env: env({ SALESFORCE_TOKEN: '00DKY000000Abcd!AQ4AQ.expired' }) }));
    expect(stale!.error).toBe(
      '[salesforce] User, page 1: HTTP 401 INVALID_SESSION_ID: Session expired or invalid\n  fix: renew the access token in SALESFORCE_TOKEN, or configure refresh: so that crm-pulse renews it itself',
    );
    const [revoked] = await runSync(
      db,
      key,
      connector(source(`    objects: [User]\n${REFRESH}`), { env: env({ SALESFORCE_TOKEN: undefined, SF_REFRESH_TOKEN: '5Aep861.revoked' }) }),
    );
    expect(revoked!.error).toBe(
      '[salesforce] refreshing the access token: HTTP 400: {"error":"invalid_grant","error_description":"expired access/refresh token"}\n  fix: check SF_CLIENT_ID, SF_CLIENT_SECRET and SF_REFRESH_TOKEN: the refresh token may be revoked or expired, or the consumer key and secret wrong',
    );
    expect(() => connector(source('    objects: [User]\n'), { env: env({ SALESFORCE_INSTANCE_URL: undefined }) })).toThrow(
      new CrmPulseError('config', `[salesforce] sources.${key}.instance_url_env names SALESFORCE_INSTANCE_URL, which is not set`, {
        hint: 'set SALESFORCE_INSTANCE_URL in the environment or in .env (see .env.example)',
      }),
    );
  });
});

describe('errors', () => {
  it('turns a query refused for a mapped field into a config error that names the field and the fix', async () => {
    const src = source(`    objects: [Opportunity]
    fields:
      Opportunity:
        amount: Amount_Gross__c
`);
    const [result] = await runSync(db, key, connector(src));
    expect(result!.status).toBe('failed');
    expect(result!.error).toMatch(
      new RegExp(
        `^\\[salesforce\\] sources\\.${key}: the Opportunity query was refused: Opportunity, page 1: HTTP 400 INVALID_FIELD: .*No such column 'Amount_Gross__c' on entity 'Opportunity'.*\\n  fix: sources\\.${key}\\.fields\\.Opportunity\\.amount names 'Amount_Gross__c', which Opportunity lacks or the integration user cannot read; correct it, or set it to null$`,
        's',
      ),
    );
    const [fixed] = await runSync(db, key, connector(source('    objects: [Opportunity]\n    fields:\n      Opportunity:\n        amount: Amount_Net__c\n')));
    expect(fixed!.status).toBe('succeeded');
    expect((await storedDeals(db, key)).map((d) => d.amount)).toEqual([11000, null, null]);
  });

  it('reports a malformed query with the query and where its fields are configured', async () => {
    fake.fail((r) => r.path.includes('/queryAll?'), { status: 400, body: [{ message: "unexpected token: 'FROM'", errorCode: 'MALFORMED_QUERY' }] });
    const [result] = await runSync(db, key, connector(source('    objects: [Opportunity]\n')));
    expect(result!.error).toBe(
      `[salesforce] sources.${key}: the Opportunity query was refused: Opportunity, page 1: HTTP 400 MALFORMED_QUERY: unexpected token: 'FROM'\n  fix: check sources.${key}.fields.Opportunity: each value must be a field API name of Opportunity (Amount, Account.Name); the query was: SELECT Id, SystemModstamp, IsDeleted, Name, StageName, Amount, OwnerId, AccountId, CreatedDate, CloseDate, IsClosed, IsWon FROM Opportunity ORDER BY SystemModstamp ASC`,
    );
  });

  it('backs off on REQUEST_LIMIT_EXCEEDED, and stops at once when the daily allowance is used up', async () => {
    fake.fail((r) => r.path.includes('/query'), {
      status: 403,
      body: salesforceFixture('request-limit-exceeded.json'),
      headers: { 'sforce-limit-info': 'api-usage=140/15000' },
    });
    const { sleeps, sleep } = recordingSleep();
    const [result] = await runSync(db, key, connector(source('    objects: [User]\n'), { sleep }));
    expect(result!.status).toBe('succeeded');
    expect(sleeps).toEqual([60_000]);

    const before = await storedCursor(db, key, 'User');
    fake.fail(
      (r) => r.path.includes('/query'),
      { status: 403, body: salesforceFixture('request-limit-exceeded.json'), headers: { 'sforce-limit-info': 'api-usage=15000/15000' } },
      Infinity,
    );
    const waited = recordingSleep();
    const [stopped] = await runSync(db, key, connector(source('    objects: [User]\n'), { sleep: waited.sleep }));
    expect(stopped!.error).toBe(
      "[salesforce] User, page 1: HTTP 403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. (api-usage=15000/15000)\n  fix: the org's API allowance is counted over 24 hours; the next run resumes from the saved cursor",
    );
    expect(waited.sleeps).toEqual([]);
    expect(await storedCursor(db, key, 'User')).toBe(before);
  });
});

/** `n` opportunities modified a minute apart from `start`. */
function opportunities(n: number, start: string): SalesforceRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    Id: `00600000000000${i + 1}AAA`,
    IsDeleted: false,
    Name: `Opportunity ${i + 1}`,
    StageName: 'Prospecting',
    Amount: 100 + i,
    OwnerId: null,
    AccountId: null,
    CreatedDate: '2024-01-01T00:00:00.000+0000',
    CloseDate: '2024-06-30',
    IsClosed: false,
    IsWon: false,
    SystemModstamp: new Date(Date.parse(start) + i * 60_000).toISOString().replace('Z', '+0000'),
  }));
}

function iso(v: unknown): string | null {
  return v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString();
}
