import type { ApiFieldConfig } from '../../config/crm-source-schemas.ts';
import type { SalesforceObject } from '../../domain/crm-apis.ts';

/**
 * The default mapping of each sObject: canonical field → field API name. `sources.<key>.fields`
 * replaces it field by field; relationship fields are written with a dot (Manager.Name).
 */
export const SALESFORCE_DEFAULT_FIELDS: Readonly<Record<SalesforceObject, Readonly<Record<string, ApiFieldConfig>>>> = {
  User: { name: 'Name', email: 'Email', manager: 'Manager.Name', office: 'Department' },
  Account: {
    name: 'Name',
    sector: 'Industry',
    country: 'BillingCountry',
    employees: 'NumberOfEmployees',
    revenue: 'AnnualRevenue',
    year_established: 'YearStarted',
    parent: 'ParentId',
  },
  Contact: { name: 'Name', email: 'Email', country: 'MailingCountry', account: 'AccountId', created_at: 'CreatedDate' },
  // status comes from IsClosed and IsWon; CloseDate counts as closed_at only once the
  // opportunity is closed: before, it is the expected close date.
  Opportunity: {
    name: 'Name',
    stage: 'StageName',
    amount: 'Amount',
    owner: 'OwnerId',
    account: 'AccountId',
    created_at: 'CreatedDate',
    engaged_at: 'CreatedDate',
    closed_at: 'CloseDate',
  },
  // A case owned by a queue has a queue id as OwnerId: it matches no user and is left empty.
  Case: {
    subject: 'Subject',
    category: { from: 'Type', default: 'uncategorized' },
    channel: 'Origin',
    priority: 'Priority',
    customer: 'ContactId',
    account: 'AccountId',
    owner: 'OwnerId',
    opened_at: 'CreatedDate',
    resolved_at: 'ClosedDate',
  },
};

/** Whether an sObject has IsDeleted, so that queryAll returns its deleted records too (User has not). */
export function hasIsDeleted(object: SalesforceObject): boolean {
  return object !== 'User';
}
