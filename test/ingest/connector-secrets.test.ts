// Tokens never leave crm-pulse: not in a log line, an error message, a run's record or a stored
// rejected row, even when the remote echoes them back in its answers and its records.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { HubspotSourceConfig, SalesforceSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { hubspotConnector } from '../../src/ingest/connectors/hubspot.ts';
import { salesforceConnector } from '../../src/ingest/connectors/salesforce.ts';
import type { UnitResult } from '../../src/ingest/sync-source.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { capturingLogger, recordingSleep, runSync, TEST_NOW } from '../helpers/sync.ts';
import { fakeHubspot } from './fakes/fake-hubspot.ts';
import { fakeSalesforce } from './fakes/fake-salesforce.ts';

let test: MigratedDb;
let db: Database;

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

/** Everything crm-pulse wrote down about its runs: run records and rejected rows. */
async function storedText(): Promise<string> {
  const runs = await db.sql.all(`SELECT "error", "notes" FROM "sync_runs"`);
  const rejects = await db.sql.all(`SELECT "file", "reason", "raw" FROM "rejected_rows"`);
  return JSON.stringify([runs, rejects]);
}

function expectNoSecret(secrets: readonly string[], places: Record<string, string>): void {
  for (const secret of secrets) {
    for (const [place, text] of Object.entries(places)) expect(text.includes(secret), `${place} holds a secret`).toBe(false);
  }
}

it('keeps the HubSpot token out of logs, errors and rejected rows when HubSpot echoes it', async () => {
  const fake = fakeHubspot();
  const { log, lines } = capturingLogger();
  const echo = `Bearer ${fake.token}`;
  fake.owners = [
    {
      id: '1',
      email: 'a@example.com',
      firstName: 'Ann',
      lastName: 'Lee',
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-01T00:00:00Z',
      archived: false,
      teams: [],
    },
  ];
  fake.objects.deals = [
    {
      id: '11',
      properties: { dealname: `leaked ${fake.token}`, dealstage: null, pipeline: 'default', hs_lastmodifieddate: '2024-03-01T00:00:00.000Z' },
      createdAt: '2024-03-01T00:00:00Z',
      updatedAt: '2024-03-01T00:00:00Z',
    },
    {
      id: '12',
      properties: { dealname: 'fine', dealstage: 'closedwon', pipeline: 'default', hs_lastmodifieddate: '2024-03-01T01:00:00.000Z' },
      createdAt: '2024-03-01T00:00:00Z',
      updatedAt: '2024-03-01T00:00:00Z',
    },
  ];
  // A server error that quotes the request's header, then a page that is not JSON and quotes it too.
  fake.fail((r) => r.path.endsWith('/search'), { status: 502, body: { status: 'error', message: `upstream refused ${echo}` } });
  const src = parseConfig(`sources:\n  hs:\n    kind: hubspot\n    base_url: ${fake.base}\n    objects: [owners, deals]\n`, 't.yaml').sources
    .hs as HubspotSourceConfig;
  const deps = { key: 'hs', env: { HUBSPOT_TOKEN: fake.token }, log, clock: fixedClock(TEST_NOW), http: { sleep: recordingSleep().sleep } };
  const first = await runSync(db, 'hs', hubspotConnector(src, deps), { log });
  expect(first.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);

  fake.objects.deals[1]!.properties.hs_lastmodifieddate = '2024-03-02T00:00:00.000Z';
  fake.fail((r) => r.path.endsWith('/search'), { status: 200, body: `<html>proxy error for ${echo}</html>` });
  const second = await runSync(db, 'hs', hubspotConnector(src, deps), { log });
  expect(second[1]!.status).toBe('failed');

  fake.fail((r) => r.path.startsWith('/crm/v3/owners'), {
    status: 401,
    body: { status: 'error', message: `token ${fake.token} is expired`, category: 'INVALID_AUTHENTICATION' },
  });
  const third = await runSync(db, 'hs', hubspotConnector(src, deps), { log });
  expect(third[0]!.status).toBe('failed');

  const results: UnitResult[] = [...first, ...second, ...third];
  expect(lines.some((l) => l.includes('retrying a request'))).toBe(true);
  const stored = await storedText();
  expect(stored).toContain('[redacted]');
  expectNoSecret([fake.token], { logs: lines.join(''), errors: JSON.stringify(results), stored });
});

it('keeps Salesforce tokens, the refresh token and the client secret out of logs, errors and rejected rows', async () => {
  const fake = fakeSalesforce();
  const { log, lines } = capturingLogger();
  const stale = '00DKY000000Abcd!AQ4AQ.stale.token.value';
  fake.objects.User = [{ Id: '005A', Name: 'Ann Lee', SystemModstamp: '2024-01-01T00:00:00.000+0000' }];
  fake.objects.Opportunity = [
    {
      Id: '006A',
      IsDeleted: false,
      Name: `leaked ${stale} ${fake.clientSecret}`,
      StageName: null,
      IsClosed: false,
      IsWon: false,
      SystemModstamp: '2024-03-01T00:00:00.000+0000',
    },
  ];
  fake.fail((r) => r.path.includes('/query'), { status: 401, body: [{ message: `Session expired or invalid: ${stale}`, errorCode: 'INVALID_SESSION_ID' }] });
  const src = parseConfig(
    `sources:
  sf:
    kind: salesforce
    objects: [User, Opportunity]
    refresh: { client_id_env: SF_ID, client_secret_env: SF_SECRET, refresh_token_env: SF_REFRESH, token_url: '${fake.tokenUrl}' }
`,
    't.yaml',
  ).sources.sf as SalesforceSourceConfig;
  const env = {
    SALESFORCE_INSTANCE_URL: fake.instanceUrl,
    SALESFORCE_TOKEN: stale,
    SF_ID: fake.clientId,
    SF_SECRET: fake.clientSecret,
    SF_REFRESH: fake.refreshToken,
  };
  const deps = { key: 'sf', env, log, clock: fixedClock(TEST_NOW), http: { sleep: recordingSleep().sleep } };
  const first = await runSync(db, 'sf', salesforceConnector(src, deps), { log });
  expect(first.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  const renewed = fake.issued[0]!;

  // The renewed token refused with an echo, then a refresh that fails and echoes what it was sent.
  fake.fail((r) => r.path.includes('/query'), { status: 401, body: [{ message: `bad session ${renewed}`, errorCode: 'INVALID_SESSION_ID' }] });
  fake.fail((r) => r.path.includes('oauth2'), {
    status: 400,
    body: { error: 'invalid_grant', error_description: `refresh_token=${fake.refreshToken}&client_secret=${fake.clientSecret}` },
  });
  const second = await runSync(db, 'sf', salesforceConnector(src, deps), { log });
  expect(second[0]!.status).toBe('failed');

  const results = [...first, ...second];
  expect(lines.some((l) => l.includes('sync unit finished'))).toBe(true);
  const stored = await storedText();
  expect(stored).toContain('[redacted]');
  expectNoSecret([stale, renewed, fake.refreshToken, fake.clientSecret, encodeURIComponent(fake.refreshToken)], {
    logs: lines.join(''),
    errors: JSON.stringify(results),
    stored,
  });
});
