// The hubspot and salesforce kinds of sources: defaults, and errors with their line and fix.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';

describe('CRM sources in the config', () => {
  it('fills in the defaults of a HubSpot source', () => {
    const config = parseConfig('sources:\n  hubspot:\n    kind: hubspot\n', 'crm-pulse.yaml');
    expect(config.sources.hubspot).toEqual({
      kind: 'hubspot',
      token_env: 'HUBSPOT_TOKEN',
      objects: ['owners', 'companies', 'contacts', 'deals', 'tickets'],
      fields: {},
      base_url: 'https://api.hubapi.com',
    });
  });

  it('fills in the defaults of a Salesforce source and reads its refresh settings', () => {
    const yaml = `sources:
  sf:
    kind: salesforce
    objects: [Opportunity, User]
    refresh: { client_id_env: SF_CLIENT_ID, client_secret_env: SF_CLIENT_SECRET, refresh_token_env: SF_REFRESH_TOKEN }
    fields:
      Opportunity:
        amount: Amount_Net__c
        name: null
        stage: { from: StageName, map: { Prospecting: Qualification } }
`;
    expect(parseConfig(yaml, 'crm-pulse.yaml').sources.sf).toEqual({
      kind: 'salesforce',
      instance_url_env: 'SALESFORCE_INSTANCE_URL',
      token_env: 'SALESFORCE_TOKEN',
      refresh: {
        client_id_env: 'SF_CLIENT_ID',
        client_secret_env: 'SF_CLIENT_SECRET',
        refresh_token_env: 'SF_REFRESH_TOKEN',
        token_url: 'https://login.salesforce.com/services/oauth2/token',
      },
      objects: ['Opportunity', 'User'],
      fields: { Opportunity: { amount: 'Amount_Net__c', name: null, stage: { from: 'StageName', map: { Prospecting: 'Qualification' } } } },
      api_version: '62.0',
    });
  });

  const ERRORS: [string, string][] = [
    [
      'sources:\n  hs:\n    kind: hubspot\n    objects: [deals, quotes]\n',
      '[config] crm-pulse.yaml:4: sources.hs.objects[1]: got string "quotes"; expected one of "owners", "companies", "contacts", "deals", "tickets"',
    ],
    [
      'sources:\n  hs:\n    kind: hubspot\n    fields:\n      deals:\n        revenue: amount\n',
      "[config] crm-pulse.yaml:6: sources.hs.fields.deals.revenue: unknown field 'revenue' for deals; known: name, stage, status, amount, product, owner, account, created_at, engaged_at, closed_at",
    ],
    [
      'sources:\n  hs:\n    kind: hubspot\n    fields:\n      leads:\n        name: firstname\n',
      "[config] crm-pulse.yaml:6: sources.hs.fields.leads: unknown object 'leads'; known: owners, companies, contacts, deals, tickets",
    ],
    [
      'sources:\n  hs:\n    kind: hubspot\n    token_env: pat-na1-1234\n',
      '[config] crm-pulse.yaml:4: sources.hs.token_env: an environment variable name such as HUBSPOT_TOKEN; the value itself goes in the environment, never in this file',
    ],
    ['sources:\n  sf:\n    kind: salesforce\n    api_version: v62\n', '[config] crm-pulse.yaml:4: sources.sf.api_version: a REST API version such as 62.0'],
    [
      'sources:\n  sf:\n    kind: salesforce\n    refresh: { client_id_env: SF_ID }\n',
      '[config] crm-pulse.yaml:4: sources.sf.refresh.client_secret_env: missing; add it (expected string)',
    ],
  ];
  for (const [yaml, message] of ERRORS) {
    it(message.replace(/^\[config\] crm-pulse\.yaml:\d+: /, ''), () => expect(() => parseConfig(yaml, 'crm-pulse.yaml')).toThrow(message));
  }
});
