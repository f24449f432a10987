import type { CrmObject } from './crm-objects.ts';

/** The HubSpot CRM objects crm-pulse syncs, in load order, with the canonical object each becomes. */
export const HUBSPOT_OBJECTS = {
  owners: 'owners',
  companies: 'accounts',
  contacts: 'customers',
  deals: 'deals',
  tickets: 'tickets',
} as const satisfies Record<string, CrmObject>;

/** A HubSpot object crm-pulse syncs. */
export type HubspotObject = keyof typeof HUBSPOT_OBJECTS;

/** The Salesforce sObjects crm-pulse syncs, in load order, with the canonical object each becomes. */
export const SALESFORCE_OBJECTS = {
  User: 'owners',
  Account: 'accounts',
  Contact: 'customers',
  Opportunity: 'deals',
  Case: 'tickets',
} as const satisfies Record<string, CrmObject>;

/** A Salesforce sObject crm-pulse syncs. */
export type SalesforceObject = keyof typeof SALESFORCE_OBJECTS;
