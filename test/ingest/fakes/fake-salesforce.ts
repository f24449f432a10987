// A Salesforce org in memory, served through nock in the shapes of the REST API: SOQL queries
// (query and queryAll) with server-side cursors followed through nextRecordsUrl, errors as a JSON
// array of { message, errorCode }, the Sforce-Limit-Info header, and the OAuth token endpoint's
// refresh-token flow. Faults are queued per request. Tests end with nock.cleanAll().
import { readFileSync } from 'node:fs';
import nock, { type ReplyFnContext } from 'nock';
import type { Fault, SeenRequest } from './fake-hubspot.ts';

export type { Fault, SeenRequest };

/** A record as the org holds it: every field, relationship fields as nested objects; `__raw` is served in its place (a malformed record). */
export type SalesforceRecord = Record<string, unknown> & { Id: string; SystemModstamp: string; IsDeleted?: boolean; __raw?: unknown };

/** A fake org; its data can change between syncs. */
export interface FakeSalesforce {
  readonly instanceUrl: string;
  readonly tokenUrl: string;
  /** the access token the org accepts now */
  validToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly objects: Record<'User' | 'Account' | 'Contact' | 'Opportunity' | 'Case', SalesforceRecord[]>;
  /** the fields each sObject has, so that a query naming another is refused */
  readonly fields: Record<string, string[]>;
  /** records per query page (Salesforce: up to 2,000) */
  pageSize: number;
  readonly usage: { used: number; max: number };
  readonly requests: SeenRequest[];
  /** tokens issued by the refresh-token flow, in order */
  readonly issued: string[];
  fail(match: (r: SeenRequest) => boolean, fault: Fault, times?: number): void;
  heal(): void;
}

/** Reads a fixture of test/ingest/fixtures/salesforce. */
export function salesforceFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/salesforce/${name}`, import.meta.url), 'utf8')) as T;
}

const FIELDS: Record<string, string[]> = {
  User: ['Id', 'SystemModstamp', 'Name', 'Email', 'Department', 'ManagerId', 'Manager.Name', 'IsActive'],
  Account: ['Id', 'SystemModstamp', 'IsDeleted', 'Name', 'Industry', 'BillingCountry', 'NumberOfEmployees', 'AnnualRevenue', 'YearStarted', 'ParentId'],
  Contact: ['Id', 'SystemModstamp', 'IsDeleted', 'Name', 'Email', 'MailingCountry', 'AccountId', 'CreatedDate'],
  Opportunity: [
    'Id',
    'SystemModstamp',
    'IsDeleted',
    'Name',
    'StageName',
    'Amount',
    'OwnerId',
    'AccountId',
    'CreatedDate',
    'CloseDate',
    'IsClosed',
    'IsWon',
    'Amount_Net__c',
  ],
  Case: [
    'Id',
    'SystemModstamp',
    'IsDeleted',
    'Subject',
    'Type',
    'Origin',
    'Priority',
    'ContactId',
    'AccountId',
    'OwnerId',
    'CreatedDate',
    'ClosedDate',
    'IsClosed',
  ],
};

/** Starts a fake org. */
export function fakeSalesforce(instanceUrl = 'https://acme.my.salesforce.test', loginUrl = 'https://login.salesforce.test'): FakeSalesforce {
  const faults: { match: (r: SeenRequest) => boolean; fault: Fault; times: number }[] = [];
  const cursors = new Map<string, { object: string; records: Record<string, unknown>[] }>();
  const fake: FakeSalesforce = {
    instanceUrl,
    tokenUrl: `${loginUrl}/services/oauth2/token`,
    validToken: '00DKY000000Abcd!AQ4AQFq1.access.token.one',
    clientId: '3MVG9lKcPoNINVBIPJjdw1J9LLM82HnFVVX19KY1uA5mu0QqEWhqKpoW3svG3X',
    clientSecret: '1955279925675241571',
    refreshToken: '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrbYZzfRkNHJHCTqvKFhyAO2Jd4cYe3Bta',
    objects: { User: [], Account: [], Contact: [], Opportunity: [], Case: [] },
    fields: FIELDS,
    pageSize: 2000,
    usage: { used: 10, max: 15_000 },
    requests: [],
    issued: [],
    fail: (match, fault, times = 1) => void faults.push({ match, fault, times }),
    heal: () => void faults.splice(0),
  };
  const json = () => ({ 'content-type': 'application/json;charset=UTF-8', 'sforce-limit-info': `api-usage=${++fake.usage.used}/${fake.usage.max}` });
  const sfError = (status: number, errorCode: string, message: string): [number, string, Record<string, string>] => [
    status,
    JSON.stringify([{ message, errorCode }]),
    json(),
  ];

  async function answer(this: ReplyFnContext, method: string, uri: string, body: unknown): Promise<[number, string, Record<string, string>]> {
    const url = new URL(uri, instanceUrl);
    const seen: SeenRequest = {
      method,
      path: url.pathname + url.search,
      body: typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, unknown> | undefined),
    };
    fake.requests.push(seen);
    const f = faults.find((x) => x.times > 0 && x.match(seen));
    if (f) {
      f.times--;
      if (f.fault.delayMs) await new Promise((r) => setTimeout(r, f.fault.delayMs));
      const b = f.fault.body;
      return [f.fault.status ?? 200, typeof b === 'string' ? b : JSON.stringify(b ?? []), { ...json(), ...f.fault.headers }];
    }
    if (this.req.headers.authorization !== `Bearer ${fake.validToken}`) return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return query(url);
  }

  function query(url: URL): [number, string, Record<string, string>] {
    const first = /^\/services\/data\/v\d+\.\d\/(query|queryAll)$/.exec(url.pathname);
    const next = /^\/services\/data\/v\d+\.\d\/(?:query|queryAll)\/(01g\w+)-(\d+)$/.exec(url.pathname);
    if (next) {
      const c = cursors.get(next[1]!);
      if (!c) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      return page(url.pathname.includes('queryAll') ? 'queryAll' : 'query', next[1]!, c.records, Number(next[2]));
    }
    if (!first) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const soql = url.searchParams.get('q') ?? '';
    const m = /^SELECT (.+) FROM (\w+)(?: WHERE SystemModstamp > (\S+))? ORDER BY SystemModstamp ASC$/.exec(soql);
    if (!m) return sfError(400, 'MALFORMED_QUERY', `unexpected token in: ${soql.slice(0, 80)}`);
    const [, select, object, after] = m as unknown as [string, string, string, string | undefined];
    const known = fake.fields[object];
    if (!known)
      return sfError(
        400,
        'INVALID_TYPE',
        `\n${soql.slice(0, 60)}\n ^\nERROR at Row:1:Column:1\nsObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
      );
    const fields = select.split(', ');
    const unknown = fields.find((f) => !known.some((k) => k.toLowerCase() === f.toLowerCase()));
    if (unknown) {
      return sfError(
        400,
        'INVALID_FIELD',
        `\n${soql.slice(0, 60)}\n ^\nERROR at Row:1:Column:8\nNo such column '${unknown}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const all = first[1] === 'queryAll';
    const afterMs = after ? Date.parse(after) : -Infinity;
    const records = ((fake.objects as Record<string, SalesforceRecord[] | undefined>)[object] ?? [])
      .filter((r) => (all || !r.IsDeleted) && Date.parse(r.SystemModstamp) > afterMs)
      .sort((a, b) => Date.parse(a.SystemModstamp) - Date.parse(b.SystemModstamp) || a.Id.localeCompare(b.Id))
      .map((r) => (r.__raw ?? project(object, r, fields)) as Record<string, unknown>);
    const locator = `01gD0000002HU6K${String(cursors.size).padStart(3, '0')}`;
    cursors.set(locator, { object, records });
    return page(first[1]!, locator, records, 0);
  }

  function page(kind: string, locator: string, records: Record<string, unknown>[], offset: number): [number, string, Record<string, string>] {
    const slice = records.slice(offset, offset + fake.pageSize);
    const done = offset + fake.pageSize >= records.length;
    const body = {
      totalSize: records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v62.0/${kind}/${locator}-${offset + fake.pageSize}` }),
      records: slice,
    };
    return [200, JSON.stringify(body), json()];
  }

  function token(body: Record<string, unknown> | undefined): [number, string, Record<string, string>] {
    const ok =
      body?.grant_type === 'refresh_token' &&
      body.client_id === fake.clientId &&
      body.client_secret === fake.clientSecret &&
      body.refresh_token === fake.refreshToken;
    if (!ok)
      return [400, JSON.stringify({ error: 'invalid_grant', error_description: 'expired access/refresh token' }), { 'content-type': 'application/json' }];
    fake.validToken = `00DKY000000Abcd!AQ4AQFq1.access.token.${fake.issued.length + 2}`;
    fake.issued.push(fake.validToken);
    return [
      200,
      JSON.stringify({
        access_token: fake.validToken,
        signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
        scope: 'api refresh_token',
        instance_url: instanceUrl,
        id: `${loginUrl}/id/00DKY000000Abcd/005KY000001Q1IW`,
        token_type: 'Bearer',
        issued_at: '1700000000000',
      }),
      { 'content-type': 'application/json' },
    ];
  }

  nock(instanceUrl)
    .persist()
    .get(/.*/)
    .reply(function (uri) {
      return answer.call(this, 'GET', uri, undefined);
    });
  nock(loginUrl)
    .persist()
    .post('/services/oauth2/token')
    .reply(async function (uri, body): Promise<[number, string, Record<string, string>]> {
      const seen: SeenRequest = {
        method: 'POST',
        path: uri,
        body: typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, unknown>),
      };
      fake.requests.push(seen);
      const f = faults.find((x) => x.times > 0 && x.match(seen));
      if (f) {
        f.times--;
        return [
          f.fault.status ?? 200,
          typeof f.fault.body === 'string' ? f.fault.body : JSON.stringify(f.fault.body ?? {}),
          { 'content-type': 'application/json', ...f.fault.headers },
        ];
      }
      return token(seen.body);
    });
  return fake;
}

/** A record as a query returns it: attributes, then the selected fields; Manager.Name as a nested record. */
function project(object: string, r: SalesforceRecord, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: object, url: `/services/data/v62.0/sobjects/${object}/${r.Id}` } };
  for (const f of fields) {
    const [head, tail] = f.split('.') as [string, string | undefined];
    const value = r[head];
    if (tail === undefined) out[head] = value ?? null;
    else
      out[head] =
        value == null
          ? null
          : {
              attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${(value as { Id?: string }).Id ?? ''}` },
              [tail]: (value as Record<string, unknown>)[tail] ?? null,
            };
  }
  return out;
}
