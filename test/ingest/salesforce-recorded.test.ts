// Salesforce answers recorded against a real org (fixtures/salesforce-recorded, BSD-3-Clause, from
// forcedotcom/sf-fx-runtime-java), replayed through our connector with nock: a query answered in
// pages (done: false with nextRecordsUrl) and a query refused for an unknown column
// (INVALID_FIELD). Each is handled as the connector handles the same answer from our own fake.
//
// The recordings matched their own SOQL and token (and a Java SDK's Sforce-Call-Options header);
// ours differ, so the replay matches on the path only and serves the recorded status, headers and
// body unchanged.
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { salesforceConnector } from '../../src/ingest/connectors/salesforce.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { recordingSleep, runSync, storedRejects, TEST_NOW, unit } from '../helpers/sync.ts';

interface Recording {
  request: { urlPath: string; queryParameters?: { q?: { equalTo: string } } };
  response: { status: number; body: string; headers: Record<string, string | string[]> };
}
const recording = (name: string) => JSON.parse(readFileSync(new URL(`fixtures/salesforce-recorded/${name}`, import.meta.url), 'utf8')) as Recording;
/** The recorded response's headers, as a replay sends them (Set-Cookie dropped: nothing reads it). */
const headersOf = (r: Recording) =>
  Object.fromEntries(Object.entries(r.response.headers).filter(([k]) => k.toLowerCase() !== 'set-cookie')) as Record<string, string>;

const INSTANCE = 'https://recorded.my.salesforce.test';
const TOKEN = '00DRECORDED!replay.token';
let test: MigratedDb;
let db: Database;
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
afterEach(() => void nock.cleanAll());

/** Syncs `objects` of a source at API version 53.0, the version the recordings were made with. */
async function sync(objects: string, extra = '') {
  const key = `sf-recorded-${++n}`;
  const src = parseConfig(`sources:\n  ${key}:\n    kind: salesforce\n    api_version: '53.0'\n    objects: [${objects}]\n${extra}`, 'test.yaml').sources[
    key
  ] as SalesforceSourceConfig;
  const connector = salesforceConnector(src, {
    key,
    env: { SALESFORCE_INSTANCE_URL: INSTANCE, SALESFORCE_TOKEN: TOKEN },
    log: silentLogger(),
    clock: fixedClock(TEST_NOW),
    http: { sleep: recordingSleep().sleep, random: () => 0.5 },
  });
  return { key, results: await runSync(db, key, connector) };
}

/** Serves each recording once, in order, for the path it was recorded at; records the paths asked. */
function replay(...pages: { path: string; status: number; body: string; headers: Record<string, string> }[]): string[] {
  const asked: string[] = [];
  const scope = nock(INSTANCE);
  for (const p of pages) {
    scope
      .get((uri) => uri.split('?')[0] === p.path)
      .reply(function (uri) {
        expect(this.req.headers.authorization).toBe(`Bearer ${TOKEN}`);
        asked.push(uri);
        return [p.status, p.body, p.headers];
      });
  }
  return asked;
}

describe('recorded Salesforce answers through the connector', () => {
  it('a query answered in pages: follows each nextRecordsUrl as given, and keeps every row it cannot take as a reject', async () => {
    const first = recording('query-with-next-records-url.json');
    const second = recording('query-with-next-records-url-2.json');
    const firstBody = JSON.parse(first.response.body) as { totalSize: number; done: boolean; nextRecordsUrl: string; records: unknown[] };
    const secondBody = JSON.parse(second.response.body) as typeof firstBody;
    expect([firstBody.done, firstBody.records.length, firstBody.totalSize, secondBody.done]).toEqual([false, 2000, 10_000, false]);
    expect(second.request.urlPath).toBe(firstBody.nextRecordsUrl);
    // The page at secondBody.nextRecordsUrl (-4000) was never recorded: this last page is ours,
    // the shape Salesforce ends a query with.
    const last = { totalSize: 10_000, done: true, records: [] };
    const asked = replay(
      { path: first.request.urlPath, status: first.response.status, body: first.response.body, headers: headersOf(first) },
      { path: second.request.urlPath, status: second.response.status, body: second.response.body, headers: headersOf(second) },
      { path: secondBody.nextRecordsUrl, status: 200, body: JSON.stringify(last), headers: { 'content-type': 'application/json;charset=UTF-8' } },
    );
    const { key, results } = await sync('User');
    expect(asked.map((u) => u.split('?')[0])).toEqual([
      '/services/data/v53.0/query',
      '/services/data/v53.0/query/01gB000003OCxSPIA1-2000',
      '/services/data/v53.0/query/01gB000003OCxSPIA1-4000',
    ]);
    expect(new URL(asked[0]!, INSTANCE).searchParams.get('q')).toMatch(/^SELECT Id, SystemModstamp, .* FROM User ORDER BY SystemModstamp ASC$/);
    const users = unit(results, 'User');
    expect(users.status).toBe('succeeded');
    // The recorded query selected no Id, so no row can be stored: each is kept with its reason and
    // raw JSON, as a malformed row from our fake is; none is lost unseen.
    expect(users.counts).toMatchObject({ read: 4000, written: 0, rejected: 4000 });
    const rejects = await storedRejects(db, key);
    expect(rejects).toHaveLength(4000);
    expect(new Set(rejects.map((r) => `${r.kind}: ${r.reason}`))).toEqual(new Set(['shape: a User record without an Id']));
    // Every recorded row, of both pages, is among them as Salesforce sent it.
    const raw = (records: unknown[]) => records.map((r) => JSON.stringify(r)).sort();
    expect(raw(rejects.map((r) => JSON.parse(r.raw)))).toEqual(raw([...firstBody.records, ...secondBody.records]));
  });

  it('a query answered in one page (done: true) is read once', async () => {
    const one = recording('query.json');
    const body = JSON.parse(one.response.body) as { done: boolean; records: unknown[] };
    const asked = replay({ path: one.request.urlPath, status: one.response.status, body: one.response.body, headers: headersOf(one) });
    const { results } = await sync('User');
    expect(asked).toHaveLength(1);
    expect(unit(results, 'User').counts).toMatchObject({ read: body.records.length, rejected: body.records.length });
  });

  it("an unknown column (INVALID_FIELD) is a config error naming the field that maps it, as with our fake's answer", async () => {
    const refused = recording('query-unknown-column.json');
    expect(JSON.parse(refused.response.body)[0].errorCode).toBe('INVALID_FIELD');
    // Recorded for Account at /query; ours asks /queryAll (Account keeps deleted records): the answer is the same.
    const asked = replay({ path: '/services/data/v53.0/queryAll', status: refused.response.status, body: refused.response.body, headers: headersOf(refused) });
    const { key, results } = await sync('Account', '    fields:\n      Account:\n        name: Bacon__c\n');
    expect(asked).toHaveLength(1);
    const [accounts] = results;
    expect(accounts!.status).toBe('failed');
    expect(accounts!.error).toBe(
      `[salesforce] sources.${key}: the Account query was refused: Account, page 1: HTTP 400 INVALID_FIELD: SELECT Bacon__c FROM Account LIMIT 2 ^ ERROR at Row:1:Column:8 No such column 'Bacon__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.\n  fix: sources.${key}.fields.Account.name names 'Bacon__c', which Account lacks or the integration user cannot read; correct it, or set it to null`,
    );
  });
});
