/** The kinds of value a canonical field holds. */
export type FieldType =
  /** free text */
  | 'string'
  /** a whole number */
  | 'int'
  /** a decimal number */
  | 'number'
  /** true or false */
  | 'bool'
  /** a calendar date, stored as UTC midnight */
  | 'date'
  /** an instant, stored in UTC */
  | 'datetime';

/** One field of a canonical CRM object, as the importer and the store see it. */
export interface FieldSpec {
  readonly type: FieldType;
  /** a row without a value for it is rejected */
  readonly required?: boolean;
  /** the value must be one of these (after mapping) */
  readonly oneOf?: readonly string[];
  /** the field references a record of this object in the same source, by its external id */
  readonly ref?: CrmObject;
  /** the database column; defaults to the field name, `<name>_id` for references */
  readonly column?: string;
  /** used when the mapping gives no column and the field is not required */
  readonly defaultValue?: string | number | boolean;
}

/** The canonical CRM objects crm-pulse stores; each is one database table. */
export type CrmObject = 'owners' | 'accounts' | 'customers' | 'products' | 'deals' | 'order_lines' | 'tickets' | 'survey_answers' | 'marketing_spend';

/** Field catalog of every canonical object. Field names are the names a mapping writes to. */
export const CRM_OBJECTS: Readonly<Record<CrmObject, Readonly<Record<string, FieldSpec>>>> = {
  owners: {
    name: { type: 'string', required: true },
    email: { type: 'string' },
    manager: { type: 'string' },
    office: { type: 'string' },
  },
  accounts: {
    name: { type: 'string', required: true },
    sector: { type: 'string' },
    country: { type: 'string' },
    employees: { type: 'int' },
    revenue: { type: 'number' },
    year_established: { type: 'int' },
    parent: { type: 'string' },
  },
  customers: {
    name: { type: 'string' },
    email: { type: 'string' },
    country: { type: 'string' },
    account: { type: 'string', ref: 'accounts' },
    created_at: { type: 'datetime' },
  },
  products: {
    name: { type: 'string', required: true },
    series: { type: 'string' },
    list_price: { type: 'number' },
  },
  deals: {
    name: { type: 'string' },
    stage: { type: 'string', required: true },
    status: { type: 'string', required: true, oneOf: ['open', 'won', 'lost'] },
    amount: { type: 'number' },
    product: { type: 'string', ref: 'products' },
    owner: { type: 'string', ref: 'owners' },
    account: { type: 'string', ref: 'accounts' },
    created_at: { type: 'datetime' },
    engaged_at: { type: 'datetime' },
    closed_at: { type: 'datetime' },
  },
  order_lines: {
    invoice_no: { type: 'string', required: true },
    customer: { type: 'string', ref: 'customers' },
    stock_code: { type: 'string' },
    description: { type: 'string' },
    quantity: { type: 'number', required: true },
    unit_price: { type: 'number', required: true },
    amount: { type: 'number', required: true },
    cancelled: { type: 'bool', defaultValue: false },
    country: { type: 'string' },
    ordered_at: { type: 'datetime', required: true },
  },
  tickets: {
    subject: { type: 'string' },
    category: { type: 'string', required: true },
    channel: { type: 'string' },
    priority: { type: 'string' },
    customer: { type: 'string', ref: 'customers' },
    account: { type: 'string', ref: 'accounts' },
    owner: { type: 'string', ref: 'owners' },
    opened_at: { type: 'datetime', required: true },
    first_response_at: { type: 'datetime' },
    resolved_at: { type: 'datetime' },
  },
  survey_answers: {
    kind: { type: 'string', required: true, oneOf: ['csat', 'nps'] },
    score: { type: 'int', required: true },
    customer: { type: 'string', ref: 'customers' },
    account: { type: 'string', ref: 'accounts' },
    answered_at: { type: 'datetime', required: true },
    comment: { type: 'string' },
  },
  marketing_spend: {
    day: { type: 'date', required: true },
    channel: { type: 'string', required: true },
    campaign: { type: 'string' },
    spend: { type: 'number', required: true },
    leads: { type: 'int', defaultValue: 0 },
    attributed_revenue: { type: 'number' },
  },
};

/** All canonical object names, in the order their references allow them to be loaded. */
export const CRM_OBJECT_NAMES = Object.keys(CRM_OBJECTS) as CrmObject[];

/** The database column a field is stored in. */
export function columnOf(field: string, spec: FieldSpec): string {
  return spec.column ?? (spec.ref ? `${field}_id` : field);
}

/** A value as it is stored: null for "no value". Dates are Date objects. */
export type StoredValue = string | number | boolean | Date | null;
