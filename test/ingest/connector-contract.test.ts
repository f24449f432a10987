// Every connector passes the same contract (connector-contract.ts): CSV, HubSpot and Salesforce,
// on SQLite and on PostgreSQL. No test here reaches the network: nock refuses real connections.
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { ENGINES } from '../helpers/databases.ts';
import { describeConnectorContract } from './connector-contract.ts';
import { csvDriver, hubspotDriver, salesforceDriver } from './contract-drivers.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

const DRIVERS = [
  { name: 'csv', http: false, driver: csvDriver },
  { name: 'hubspot', http: true, driver: hubspotDriver },
  { name: 'salesforce', http: true, driver: salesforceDriver },
];

for (const { engine, create } of ENGINES) {
  for (const d of DRIVERS) describeConnectorContract({ name: `${d.name} on ${engine}`, http: d.http, database: create, driver: d.driver });
}
