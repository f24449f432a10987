import { CRM_OBJECTS, columnOf, type CrmObject } from '../domain/crm-objects.ts';
import type { Dialect } from '../store/sql-client.ts';

/** A table KPIs aggregate over, with its fields, derived fields and breakdown dimensions. */
export interface EntitySpec {
  readonly table: CrmObject;
  /** derived fields: name → SQL over alias t (and joined aliases), per dialect */
  readonly derived: Readonly<Record<string, (d: Dialect) => string>>;
  /** dimension → SQL expression and the joins it needs */
  readonly dimensions: Readonly<Record<string, { readonly expr: string; readonly joins: readonly JoinName[] }>>;
}

/** Tables a dimension may join, each under a fixed alias. */
export type JoinName = 'owner' | 'product' | 'account' | 'customer' | 'segment';

/** The join clause of each joinable table. */
export const JOINS: Readonly<Record<JoinName, string>> = {
  owner: 'LEFT JOIN "owners" o ON o."id" = t."owner_id"',
  product: 'LEFT JOIN "products" p ON p."id" = t."product_id"',
  account: 'LEFT JOIN "accounts" a ON a."id" = t."account_id"',
  customer: 'LEFT JOIN "customers" c ON c."id" = t."customer_id"',
  // The RFM segments at the evaluation's as-of date, a CTE the query gets as a parameter (compile-metric.ts: segmentsCte).
  segment: 'LEFT JOIN cs ON cs."customer_id" = t."customer_id"',
};

/** The RFM segment of the record's customer: a breakdown for every customer-linked entity. */
const segmentDim = { segment: { expr: 'cs."segment"', joins: ['segment'] } } as const;

/** Days between two timestamp columns of alias t. */
function daysBetween(from: string, to: string) {
  return (d: Dialect) =>
    // julianday is a float with ~40 µs of precision; rounding to whole milliseconds makes SQLite
    // give exactly what PostgreSQL's interval arithmetic gives.
    d === 'sqlite'
      ? `(round((julianday(t."${to}") - julianday(t."${from}")) * 86400000.0) / 86400000.0)`
      : `(EXTRACT(EPOCH FROM (t."${to}" - t."${from}")) / 86400.0)`;
}

function hoursBetween(from: string, to: string) {
  const days = daysBetween(from, to);
  return (d: Dialect) => `(${days(d)} * 24.0)`;
}

const ownerDims = {
  owner: { expr: 'o."name"', joins: ['owner'] },
  manager: { expr: 'o."manager"', joins: ['owner'] },
  office: { expr: 'o."office"', joins: ['owner'] },
  // The regional office is what sales teams call their region.
  region: { expr: 'o."office"', joins: ['owner'] },
} as const;

/** The entities KPI metrics can aggregate over. */
export const ENTITIES: Readonly<Record<string, EntitySpec>> = {
  deals: {
    table: 'deals',
    derived: {
      cycle_days: daysBetween('engaged_at', 'closed_at'),
      // Open deals often carry no amount yet; their product's list price stands in.
      value_or_list_price: () => 'COALESCE(t."amount", p."list_price")',
    },
    dimensions: {
      ...ownerDims,
      product: { expr: 'p."name"', joins: ['product'] },
      sector: { expr: 'a."sector"', joins: ['account'] },
      country: { expr: 'a."country"', joins: ['account'] },
      stage: { expr: 't."stage"', joins: [] },
    },
  },
  order_lines: {
    table: 'order_lines',
    derived: {},
    dimensions: {
      country: { expr: 't."country"', joins: [] },
      customer: { expr: 'c."external_id"', joins: ['customer'] },
      ...segmentDim,
    },
  },
  tickets: {
    table: 'tickets',
    derived: {
      resolution_hours: hoursBetween('opened_at', 'resolved_at'),
      first_response_hours: hoursBetween('opened_at', 'first_response_at'),
    },
    dimensions: {
      ...ownerDims,
      category: { expr: 't."category"', joins: [] },
      channel: { expr: 't."channel"', joins: [] },
      priority: { expr: 't."priority"', joins: [] },
      sector: { expr: 'a."sector"', joins: ['account'] },
      country: { expr: 'COALESCE(a."country", c."country")', joins: ['account', 'customer'] },
      ...segmentDim,
    },
  },
  survey_answers: {
    table: 'survey_answers',
    derived: {},
    dimensions: {
      kind: { expr: 't."kind"', joins: [] },
      sector: { expr: 'a."sector"', joins: ['account'] },
      country: { expr: 'COALESCE(a."country", c."country")', joins: ['account', 'customer'] },
      ...segmentDim,
    },
  },
  marketing_spend: {
    table: 'marketing_spend',
    derived: {},
    dimensions: {
      channel: { expr: 't."channel"', joins: [] },
      campaign: { expr: 't."campaign"', joins: [] },
    },
  },
  customers: {
    table: 'customers',
    derived: {},
    dimensions: { country: { expr: 't."country"', joins: [] } },
  },
  accounts: {
    table: 'accounts',
    derived: {},
    dimensions: { sector: { expr: 't."sector"', joins: [] }, country: { expr: 't."country"', joins: [] } },
  },
};

/** The SQL for a field of an entity (a column, a reference's id, or a derived field), or undefined. */
export function fieldSql(entity: EntitySpec, field: string, dialect: Dialect): string | undefined {
  const derived = entity.derived[field];
  if (derived) return derived(dialect);
  const spec = CRM_OBJECTS[entity.table][field];
  if (spec) return `t."${columnOf(field, spec)}"`;
  if (field === 'id' || field === 'external_id') return `t."${field}"`;
  return undefined;
}

/** Every field name an entity offers, for error messages. */
export function fieldNames(entity: EntitySpec): string[] {
  return [...Object.keys(CRM_OBJECTS[entity.table]), ...Object.keys(entity.derived), 'id', 'external_id'];
}

/** The joins a derived field needs (value_or_list_price reads the product). */
export function fieldJoins(entity: EntitySpec, field: string): JoinName[] {
  return entity.table === 'deals' && field === 'value_or_list_price' ? ['product'] : [];
}
