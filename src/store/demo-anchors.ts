import type { Database } from './open-database.ts';

/** The real sources the demo generator links to. */
export type AnchorSource =
  /** Maven CRM sample: the B2B side (accounts, sales agents, deals) */
  | 'maven-crm'
  /** Online Retail: the B2C side (customers, invoices) */
  | 'online-retail';

/** Key of the B2B source the generated tickets and surveys link to. */
export const B2B_SOURCE: AnchorSource = 'maven-crm';
/** Key of the B2C source the generated tickets and surveys link to. */
export const B2C_SOURCE: AnchorSource = 'online-retail';

/** A span of time, both ends included. */
export interface DateRange {
  readonly from: Date;
  readonly to: Date;
}

/** A B2B account with the agent who works it most. */
export interface AccountAnchor {
  /** the account name, its external id in maven-crm */
  readonly externalId: string;
  readonly country: string | null;
  /** the agent with the most deals on the account (ties: alphabetical); null without deals */
  readonly owner: string | null;
  /** that agent's regional office (Central, East, West) */
  readonly office: string | null;
  /** number of deals on the account */
  readonly deals: number;
  readonly firstEngagedAt: Date | null;
  readonly lastEngagedAt: Date | null;
  readonly firstClosedAt: Date | null;
  readonly lastClosedAt: Date | null;
}

/** A B2C customer with the span of its non-cancelled orders. */
export interface CustomerAnchor {
  /** the CustomerID text, e.g. '17850' */
  readonly externalId: string;
  readonly country: string | null;
  /** null when the customer has only cancelled orders */
  readonly firstOrderAt: Date | null;
  readonly lastOrderAt: Date | null;
  /** distinct non-cancelled invoices */
  readonly invoices: number;
}

/** What the demo generator links its tickets, surveys and spend to, read from the real data. */
export interface DemoAnchors {
  /** accounts of maven-crm, by external id; empty when it is not imported */
  readonly accounts: readonly AccountAnchor[];
  /** customers of online-retail, by external id; empty when it is not imported */
  readonly customers: readonly CustomerAnchor[];
  /** first and last date in each source's deals or orders; null when it has none */
  readonly ranges: Readonly<Record<AnchorSource, DateRange | null>>;
}

/**
 * Reads the anchors of the demo generator with a few aggregate queries: accounts with their main
 * agent and deal dates, customers with their order span, and each source's date range.
 * @example const anchors = await demoAnchors(db); anchors.accounts.length // 85
 */
export async function demoAnchors(db: Database): Promise<DemoAnchors> {
  const b2b = await sourceId(db, B2B_SOURCE);
  const b2c = await sourceId(db, B2C_SOURCE);
  return {
    accounts: b2b === undefined ? [] : await accounts(db, b2b),
    customers: b2c === undefined ? [] : await customers(db, b2c),
    ranges: {
      'maven-crm': b2b === undefined ? null : await dealRange(db, b2b),
      'online-retail': b2c === undefined ? null : await orderRange(db, b2c),
    },
  };
}

async function sourceId(db: Database, key: string): Promise<number | undefined> {
  const rows = await db.sql.all<{ id: number }>('SELECT "id" FROM "sources" WHERE "key" = ?', [key]);
  return rows[0] === undefined ? undefined : Number(rows[0].id);
}

async function accounts(db: Database, source: number): Promise<AccountAnchor[]> {
  // Window functions pick the main agent in the database (SQLite ≥ 3.25 and PostgreSQL both have them).
  const rows = await db.sql.all<Record<string, unknown>>(
    `WITH "per_agent" AS (
       SELECT d."account_id", o."external_id" AS "owner", o."office", count(*) AS "n"
       FROM "deals" d JOIN "owners" o ON o."id" = d."owner_id"
       WHERE d."source_id" = ? AND d."account_id" IS NOT NULL
       GROUP BY d."account_id", o."external_id", o."office"
     ), "ranked" AS (
       SELECT "account_id", "owner", "office",
              row_number() OVER (PARTITION BY "account_id" ORDER BY "n" DESC, "owner" ASC) AS "rank"
       FROM "per_agent"
     ), "spans" AS (
       SELECT "account_id", count(*) AS "deals",
              min("engaged_at") AS "first_engaged", max("engaged_at") AS "last_engaged",
              min("closed_at") AS "first_closed", max("closed_at") AS "last_closed"
       FROM "deals" WHERE "source_id" = ? AND "account_id" IS NOT NULL
       GROUP BY "account_id"
     )
     SELECT a."external_id", a."country", r."owner", r."office", s."deals",
            s."first_engaged", s."last_engaged", s."first_closed", s."last_closed"
     FROM "accounts" a
     LEFT JOIN "ranked" r ON r."account_id" = a."id" AND r."rank" = 1
     LEFT JOIN "spans" s ON s."account_id" = a."id"
     WHERE a."source_id" = ?
     ORDER BY a."external_id"`,
    [source, source, source],
  );
  return rows.map((r) => ({
    externalId: String(r.external_id),
    country: text(r.country),
    owner: text(r.owner),
    office: text(r.office),
    deals: Number(r.deals ?? 0),
    firstEngagedAt: date(r.first_engaged),
    lastEngagedAt: date(r.last_engaged),
    firstClosedAt: date(r.first_closed),
    lastClosedAt: date(r.last_closed),
  }));
}

async function customers(db: Database, source: number): Promise<CustomerAnchor[]> {
  const rows = await db.sql.all<Record<string, unknown>>(
    `SELECT c."external_id", c."country", s."first_at", s."last_at", s."invoices"
     FROM "customers" c
     LEFT JOIN (
       SELECT "customer_id", min("ordered_at") AS "first_at", max("ordered_at") AS "last_at",
              count(DISTINCT "invoice_no") AS "invoices"
       FROM "order_lines"
       WHERE "source_id" = ? AND "customer_id" IS NOT NULL AND NOT "cancelled"
       GROUP BY "customer_id"
     ) s ON s."customer_id" = c."id"
     WHERE c."source_id" = ?
     ORDER BY c."external_id"`,
    [source, source],
  );
  return rows.map((r) => ({
    externalId: String(r.external_id),
    country: text(r.country),
    firstOrderAt: date(r.first_at),
    lastOrderAt: date(r.last_at),
    invoices: Number(r.invoices ?? 0),
  }));
}

async function dealRange(db: Database, source: number): Promise<DateRange | null> {
  // Engaged and closed dates together span the pipeline: engagement starts it, closing ends it.
  const rows = await db.sql.all<Record<string, unknown>>(
    `SELECT min("engaged_at") AS "first_engaged", max("engaged_at") AS "last_engaged",
            min("closed_at") AS "first_closed", max("closed_at") AS "last_closed"
     FROM "deals" WHERE "source_id" = ?`,
    [source],
  );
  const r = rows[0] ?? {};
  return range([r.first_engaged, r.last_engaged, r.first_closed, r.last_closed]);
}

async function orderRange(db: Database, source: number): Promise<DateRange | null> {
  const rows = await db.sql.all<Record<string, unknown>>(
    'SELECT min("ordered_at") AS "first_at", max("ordered_at") AS "last_at" FROM "order_lines" WHERE "source_id" = ?',
    [source],
  );
  const r = rows[0] ?? {};
  return range([r.first_at, r.last_at]);
}

function range(values: unknown[]): DateRange | null {
  const times = values
    .map(date)
    .filter((d): d is Date => d !== null)
    .map((d) => d.getTime());
  if (times.length === 0) return null;
  return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A stored date as a Date: PostgreSQL returns Date objects, SQLite the ISO text Prisma writes. */
function date(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const d = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(d.getTime()) ? null : d;
}
