import type { ApiFieldConfig } from '../../config/crm-source-schemas.ts';
import type { HubspotObject } from '../../domain/crm-apis.ts';

/**
 * The default mapping of each HubSpot object: canonical field → property. `sources.<key>.fields`
 * replaces it field by field. Owners are not CRM records: their fields are those of the owners
 * API (firstName, lastName, email, userId, and team, the owner's primary team).
 */
export const HUBSPOT_DEFAULT_FIELDS: Readonly<Record<HubspotObject, Readonly<Record<string, ApiFieldConfig>>>> = {
  owners: { name: { from: ['firstName', 'lastName'] }, email: 'email', office: 'team' },
  companies: {
    name: 'name',
    sector: 'industry',
    country: 'country',
    employees: 'numberofemployees',
    revenue: 'annualrevenue',
    year_established: 'founded_year',
    parent: 'hs_parent_company_id',
  },
  contacts: { name: { from: ['firstname', 'lastname'] }, email: 'email', country: 'country', account: 'associatedcompanyid', created_at: 'createdate' },
  // A deal's status comes from its stage's definition in the pipelines API (see deal-stages.ts),
  // and closedate counts as closed_at only once the deal is closed: before, it is a forecast.
  deals: {
    name: 'dealname',
    stage: 'dealstage',
    amount: 'amount',
    owner: 'hubspot_owner_id',
    created_at: 'createdate',
    engaged_at: 'createdate',
    closed_at: 'closedate',
  },
  tickets: {
    subject: 'subject',
    category: { from: 'hs_ticket_category', default: 'uncategorized' },
    channel: 'source_type',
    priority: 'hs_ticket_priority',
    owner: 'hubspot_owner_id',
    opened_at: 'createdate',
    first_response_at: 'first_agent_reply_date',
    resolved_at: 'closed_date',
  },
};

/**
 * The property that says when a record last changed. Contacts are the exception that keeps the
 * older name (HubSpot CRM search guide).
 */
export function lastModifiedProperty(object: Exclude<HubspotObject, 'owners'>): string {
  return object === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}
