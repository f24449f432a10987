// The contract's drivers: each serves the contract's neutral data in its CRM's own shapes (CSV
// files; HubSpot and Salesforce API responses through nock) and injects the contract's faults.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import type { HubspotSourceConfig, SalesforceSourceConfig } from '../../src/config/crm-source-schemas.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { csvConnector } from '../../src/ingest/connectors/csv.ts';
import { hubspotConnector } from '../../src/ingest/connectors/hubspot.ts';
import { salesforceConnector } from '../../src/ingest/connectors/salesforce.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { TEST_NOW } from '../helpers/sync.ts';
import { RETRY_AFTER_MS, type ContractDeal, type ContractDriver, type ContractFault, type RemoteState } from './connector-contract.ts';
import { fakeHubspot, type Fault, type HubspotRecord, type SeenRequest } from './fakes/fake-hubspot.ts';
import { fakeSalesforce, type SalesforceRecord } from './fakes/fake-salesforce.ts';
import { csvSourceYaml } from '../helpers/csv-sources.ts';

/** The per-try timeout of the API drivers' connectors; a timeout fault waits longer. */
const TIMEOUT_MS = 200;

/** CSV exports: owners.csv and deals.csv.gz; a remote that goes down is a gzip cut short. */
export function csvDriver(): ContractDriver {
  const dir = mkdtempSync(join(tmpdir(), 'crm-pulse-contract-'));
  const dealsPath = join(dir, 'deals.csv.gz');
  let state: RemoteState = { owners: [], deals: [] };
  let pageSize = 5000;
  const row = (d: ContractDeal) => [d.id, d.name, d.stage ?? '', d.amount ?? '', d.owner, d.closed ?? '', ...(d.malformed ? ['an extra field'] : [])].join(',');
  const writeDeals = (rows?: number) => {
    const lines = ['id,name,stage,amount,owner,closed', ...state.deals.map(row)];
    const gz = gzipSync(`${lines.slice(0, rows === undefined ? undefined : rows + 1).join('\n')}\n`);
    // Cut short: the gzip trailer is missing, so reading fails after the rows it holds.
    writeFileSync(dealsPath, rows === undefined ? gz : gz.subarray(0, gz.length - 8));
  };
  const yaml = csvSourceYaml(`      - object: owners
        path: owners.csv
        key: id
        columns: { name: name }
      - object: deals
        path: deals.csv.gz
        key: id
        columns:
          name: name
          stage: stage
          status: { from: stage, map: { Closed Won: won, Closed Lost: lost }, other: open }
          amount: amount
          owner: owner
          closed_at: closed
`);
  return {
    dealsUnit: dealsPath,
    serve(s, size) {
      state = s;
      pageSize = size;
      writeFileSync(join(dir, 'owners.csv'), ['id,name', ...s.owners.map((o) => `${o.id},${o.name}`)].join('\n'));
      writeDeals();
    },
    fault(kind: ContractFault, page) {
      if (kind !== 'down') throw new Error(`a CSV file has no ${kind}`);
      writeDeals((page - 1) * pageSize + 1);
    },
    heal: () => writeDeals(),
    connector: () => csvConnector(parseConfig(yaml, 'contract.yaml').sources.crm!, dir, { batchSize: pageSize }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const HUBSPOT_STAGES: Record<string, string> = { 'Qualified To Buy': 'qualifiedtobuy', 'Closed Won': 'closedwon', 'Closed Lost': 'closedlost' };

/** HubSpot: the fake portal's owners API and deals search. */
export function hubspotDriver(): ContractDriver {
  const fake = fakeHubspot();
  let pageSize = 200;
  const isDealsSearch = (r: SeenRequest) => r.path === '/crm/v3/objects/deals/search';
  const faults: Record<ContractFault, Fault> = {
    down: {
      status: 500,
      body: { status: 'error', message: 'internal error', correlationId: 'aaaaaaaa-0000-0000-0000-000000000001', category: 'INTERNAL_ERROR' },
    },
    'rate-limit': {
      status: 429,
      headers: { 'retry-after': String(RETRY_AFTER_MS / 1000) },
      body: {
        status: 'error',
        message: 'You have reached your secondly limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'aaaaaaaa-0000-0000-0000-000000000002',
        policyName: 'SECONDLY',
      },
    },
    'server-error': { status: 503, body: { status: 'error', message: 'Service Unavailable', correlationId: 'aaaaaaaa-0000-0000-0000-000000000003' } },
    timeout: { delayMs: 1000 },
  };
  const deal = (d: ContractDeal): HubspotRecord => ({
    id: d.id,
    properties: {
      dealname: d.name,
      dealstage: d.stage === null ? null : HUBSPOT_STAGES[d.stage]!,
      pipeline: 'default',
      amount: d.amount === null ? '' : String(d.amount),
      hubspot_owner_id: d.owner,
      createdate: '2024-01-01T00:00:00.000Z',
      // An open deal's closedate is its forecast; it must not become closed_at.
      closedate: `${d.closed ?? '2024-06-30'}T00:00:00.000Z`,
      hs_lastmodifieddate: d.modified,
    },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: d.modified,
    ...(d.malformed ? { raw: { id: d.id, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: d.modified, archived: false } } : {}),
  });
  return {
    dealsUnit: 'deals',
    serve(s, size) {
      pageSize = size;
      fake.owners = s.owners.map((o) => {
        const [firstName, lastName] = o.name.split(' ');
        return {
          id: o.id,
          email: `${firstName!.toLowerCase()}@example.com`,
          type: 'PERSON',
          firstName,
          lastName,
          userId: Number(o.id) + 1000,
          createdAt: '2023-01-01T00:00:00.000Z',
          updatedAt: '2023-01-01T00:00:00.000Z',
          archived: false,
          teams: [],
        };
      });
      fake.objects.deals = s.deals.map(deal);
    },
    fault(kind, page) {
      const before = fake.requests.filter(isDealsSearch).length;
      fake.fail((r) => isDealsSearch(r) && fake.requests.filter(isDealsSearch).length - before >= page, faults[kind], kind === 'down' ? Infinity : 1);
    },
    heal: () => fake.heal(),
    connector: (http) => {
      const source = parseConfig(`sources:\n  hs:\n    kind: hubspot\n    base_url: ${fake.base}\n    objects: [owners, deals]\n`, 'contract.yaml').sources
        .hs as HubspotSourceConfig;
      return hubspotConnector(source, {
        key: 'hs',
        env: { HUBSPOT_TOKEN: fake.token },
        log: silentLogger(),
        clock: fixedClock(TEST_NOW),
        http: { ...http, timeoutMs: TIMEOUT_MS },
        pageSize,
      });
    },
    close: () => nock.cleanAll(),
  };
}

/** Salesforce: the fake org's User query and Opportunity queryAll, paged through nextRecordsUrl. */
export function salesforceDriver(): ContractDriver {
  const fake = fakeSalesforce();
  const isOpportunities = (r: SeenRequest) => r.path.startsWith('/services/data/v62.0/queryAll');
  const faults: Record<ContractFault, Fault> = {
    down: {
      status: 500,
      body: [
        {
          message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1933306541-3104 (-1198855547)',
          errorCode: 'UNKNOWN_EXCEPTION',
        },
      ],
    },
    'rate-limit': {
      status: 429,
      headers: { 'retry-after': String(RETRY_AFTER_MS / 1000) },
      body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    },
    'server-error': { status: 503, body: [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }] },
    timeout: { delayMs: 1000 },
  };
  const opportunity = (d: ContractDeal): SalesforceRecord => ({
    Id: d.id,
    IsDeleted: false,
    Name: d.name,
    StageName: d.stage,
    Amount: d.amount,
    OwnerId: d.owner,
    AccountId: null,
    CreatedDate: '2024-01-01T00:00:00.000+0000',
    CloseDate: d.closed ?? '2024-06-30',
    IsClosed: d.stage === 'Closed Won' || d.stage === 'Closed Lost',
    IsWon: d.stage === 'Closed Won',
    SystemModstamp: d.modified.replace('Z', '+0000'),
    ...(d.malformed ? { __raw: { attributes: { type: 'Opportunity' }, Name: d.name, StageName: d.stage } } : {}),
  });
  return {
    dealsUnit: 'Opportunity',
    serve(s, size) {
      fake.pageSize = size;
      fake.objects.User = s.owners.map((o) => ({
        Id: o.id,
        Name: o.name,
        Email: null,
        Department: null,
        ManagerId: null,
        Manager: null,
        IsActive: true,
        SystemModstamp: '2023-01-01T00:00:00.000+0000',
      }));
      fake.objects.Opportunity = s.deals.map(opportunity);
    },
    fault(kind, page) {
      const before = fake.requests.filter(isOpportunities).length;
      fake.fail((r) => isOpportunities(r) && fake.requests.filter(isOpportunities).length - before >= page, faults[kind], kind === 'down' ? Infinity : 1);
    },
    heal: () => fake.heal(),
    connector: (http) => {
      const source = parseConfig('sources:\n  sf:\n    kind: salesforce\n    objects: [User, Opportunity]\n', 'contract.yaml').sources
        .sf as SalesforceSourceConfig;
      const env = { SALESFORCE_INSTANCE_URL: fake.instanceUrl, SALESFORCE_TOKEN: fake.validToken };
      return salesforceConnector(source, { key: 'sf', env, log: silentLogger(), clock: fixedClock(TEST_NOW), http: { ...http, timeoutMs: TIMEOUT_MS } });
    },
    close: () => nock.cleanAll(),
  };
}
