import { z } from 'zod';
import { CRM_OBJECTS, CRM_OBJECT_NAMES, type CrmObject } from '../domain/crm-objects.ts';
import { LOCALES } from '../domain/locale.ts';
import { alertsSchema } from './alerts-schema.ts';
import { hubspotSourceSchema, salesforceSourceSchema } from './crm-source-schemas.ts';
import { parseCron } from '../lib/cron-expression.ts';
import { parseDuration, DURATION_PATTERN } from '../lib/duration.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Date formats a CSV column may use; `iso` accepts `YYYY-MM-DD` with an optional time and offset. */
export const DATE_FORMATS = ['iso', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY', 'unix', 'unix_ms'] as const;

/** How one canonical field is filled from a CSV row. */
export const columnSpecSchema = z.union([
  z.string().min(1).describe('the CSV column to read, by its header name'),
  z
    .strictObject({
      from: z.string().min(1).optional().describe('the CSV column to read, by its header name'),
      value: scalar.optional().describe('a constant for every row instead of a column'),
      map: z
        .record(z.string(), z.union([scalar, z.null()]))
        .optional()
        .describe('replace values, e.g. { GTXPro: GTX Pro }; null empties the value'),
      other: scalar.optional().describe('the value for anything `map` does not list (otherwise kept as read)'),
      default: scalar.optional().describe('the value when the cell is empty'),
      match: z.string().optional().describe('a regular expression: the field becomes true when the cell matches'),
      format: z.enum(DATE_FORMATS).optional().describe('date format of the cell (default iso)'),
      unknown: z.enum(['reject', 'empty', 'create']).optional().describe('for references: what a value that matches no record does (default reject)'),
      create_with: z.record(z.string(), z.string()).optional().describe('for unknown: create, fields of the new record filled from columns of this row'),
    })
    .refine((c) => c.from !== undefined || c.value !== undefined, {
      message: "needs 'from: <column>' or 'value: <constant>'",
    }),
]);

/** An ISO 4217 currency code. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'write an ISO 4217 currency code in capitals, e.g. USD, EUR, CNY');

/** How a CSV file writes numbers. */
const numberFormatSchema = z
  .strictObject({
    decimal: z.enum(['.', ',']).default('.').describe("the decimal mark: '.' (1,200.50) or ',' (1.200,50)"),
    thousands: z
      .enum([',', '.', ' ', "'", ''])
      .optional()
      .describe("the thousands separator (default ',' with a '.' decimal mark, '.' with a ',' one; '' for none)"),
  })
  .refine((f) => f.thousands !== f.decimal, { message: 'the thousands separator must differ from the decimal mark', path: ['thousands'] });

/** One CSV file and how its rows map onto one canonical object. */
export const csvFileSchema = z
  .strictObject({
    object: z.enum(CRM_OBJECT_NAMES).describe('the canonical object the rows become'),
    path: z.string().min(1).describe('file path, relative to the config file; .gz files are decompressed'),
    key: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('the column(s) whose values identify a record, so re-imports update instead of duplicating'),
    duplicate_keys: z.enum(['reject', 'number']).default('reject').describe('a key seen twice in one file: reject the later row, or number it (invoice lines)'),
    delimiter: z.string().length(1).default(','),
    encoding: z.enum(['utf8', 'latin1', 'utf16le']).default('utf8'),
    timezone: z.string().default('UTC').describe('time zone of date-times written without an offset'),
    number_format: numberFormatSchema
      .optional()
      .describe("how numbers are written: thousands separators are read when they group digits by three (1,200); a decimal comma with decimal: ','"),
    columns: z.record(z.string(), columnSpecSchema).describe('canonical field → column spec'),
  })
  .superRefine((file, ctx) => {
    const fields = CRM_OBJECTS[file.object as CrmObject];
    const known = Object.keys(fields);
    for (const name of Object.keys(file.columns)) {
      if (!(name in fields)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', name],
          message: `unknown field '${name}' for ${file.object}; known: ${known.join(', ')}`,
        });
      }
    }
    for (const [name, spec] of Object.entries(fields)) {
      const derived = file.object === 'order_lines' && name === 'amount';
      const defaulted = name === 'name' && file.object !== 'customers';
      if (spec.required && !(name in file.columns) && !derived && !defaulted) {
        ctx.addIssue({ code: 'custom', path: ['columns'], message: `required field '${name}' of ${file.object} is not mapped; add '${name}: <column>'` });
      }
    }
  });

const csvSourceSchema = z.strictObject({
  kind: z.literal('csv'),
  name: z.string().optional().describe('shown in status and Slack'),
  currency: currencySchema
    .optional()
    .describe(
      'ISO 4217 code of the money in these files: number cells may carry its symbol or code ($1,200.50, 1.200,50 EUR), and money KPIs are written with it',
    ),
  files: z.array(csvFileSchema).min(1).describe('loaded in this order, so referenced objects come first'),
});

/** A place CRM data comes from: CSV exports, a HubSpot portal or a Salesforce org. */
export const sourceSchema = z.discriminatedUnion('kind', [csvSourceSchema, hubspotSourceSchema, salesforceSourceSchema]);

const timezoneSchema = z.string().refine(isTimeZone, { message: 'unknown time zone; use an IANA name such as Europe/London' });

const filterSchema = z.union([
  scalar,
  z.array(z.union([z.string(), z.number()])),
  z.strictObject({
    eq: scalar.optional(),
    ne: scalar.optional(),
    in: z.array(z.union([z.string(), z.number()])).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    filled: z.boolean().optional().describe('true: the field has a value; false: it is empty'),
    prefix: z.string().optional(),
  }),
]);

/** One aggregate over one CRM entity (see README: KPI definitions). */
export const metricSchema = z.strictObject({
  entity: z.string().describe('deals, order_lines, tickets, survey_answers, marketing_spend, customers, accounts'),
  aggregate: z.enum(['count', 'count_distinct', 'sum', 'avg', 'median', 'percentile']),
  field: z.string().optional().describe('the field aggregated; not needed for count'),
  p: z.number().min(0).max(100).optional().describe('for percentile: 0–100'),
  filter: z.record(z.string(), filterSchema).optional().describe('field → value, list, or { eq, ne, in, gt, gte, lt, lte, filled, prefix }'),
  time: z.string().describe('the time field that places a record in a period'),
  mode: z.enum(['in_period', 'open_at_end', 'first_in_period', 'retained', 'repeat']).optional(),
  closed: z.string().optional().describe('for open_at_end: the field saying when a record closed'),
  repeat_of: z.string().optional().describe('for repeat: the field counted per value (default invoice_no)'),
  shift: z.number().int().min(-60).max(60).optional().describe('evaluate this many periods away (-1: the previous period)'),
  source: z.string().optional().describe('only records of this source'),
});

/** A KPI definition in the config: it adds a KPI, or replaces the built-in one with its key. */
export const kpiSchema = z.strictObject({
  title: z.string().min(1),
  title_zh: z.string().optional().describe('Simplified Chinese title'),
  unit: z.enum(['percent', 'currency', 'duration', 'count', 'score']),
  direction: z.enum(['higher', 'lower']).describe('which way is good'),
  description: z.string().optional(),
  metrics: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'metric names are lower-case letters, digits and _'), metricSchema),
  formula: z.string().min(1).describe('mathjs syntax over the metric names: + - * / ^, min, max, abs, round, sqrt, log'),
  currency: currencySchema
    .optional()
    .describe("for unit: currency, the ISO 4217 code its values are written with (default: the sources' currency when they agree)"),
  sample: z
    .string()
    .min(1)
    .optional()
    .describe('n, the sample the value stands on, as a formula over the metric names (e.g. won + lost); see README: Sample sizes'),
});

/** A pairwise judgement: a positive number or a fraction written as text ("1/3"). */
const ratioSchema = z.union([z.number().positive(), z.string().regex(/^\s*\d+(\.\d+)?\s*\/\s*\d+(\.\d+)?\s*$/, 'write a fraction as "1/3"')]);

const perspectiveSchema = z.strictObject({
  weight: z.number().positive().default(1).describe('relative weight of the perspective in the composite'),
  kpis: z.array(z.string()).min(1).describe('KPI keys'),
  pairwise: z
    .array(z.array(ratioSchema))
    .optional()
    .describe('AHP matrix in the order of kpis: row i, column j = how much more KPI i matters than KPI j; equal weights when omitted'),
});

/** A SMART target: a value to reach by a date. */
export const targetSchema = z.strictObject({
  value: z.number(),
  by: z.iso.date('must be a date like 2017-12-31').describe('the deadline'),
  from: z.iso.date('must be a date like 2017-01-01').optional().describe('when the target was set; progress counts from the KPI value then'),
  grain: z.enum(['day', 'week', 'month', 'quarter', 'year']).default('month').describe('the period the KPI is read over'),
});

/** A five-field cron expression, checked when the config loads. */
const cronSchema = z.string().superRefine((text, ctx) => {
  try {
    parseCron(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** A duration such as 5s, 10m or 1h. */
const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'a duration such as 5s, 10m or 1h')
  .refine((d) => parseDuration(d) !== undefined, 'must be longer than zero');

/** A config section that may be left empty (`local:` with every line commented out is null). */
function section<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => v ?? {}, schema);
}

/** One weekly digest: who receives it, when, and which KPIs it covers. */
const digestSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'digest names are lower-case letters, digits, - and _')
      .describe('names the digest in logs, status and /kpi digest'),
    to: z
      .string()
      .regex(/^(managers|#[a-z0-9][a-z0-9._-]*|[CG][A-Z0-9]+)$/, 'write managers, a #channel name or a channel ID such as C0123ABCD')
      .describe(
        'managers: one digest per manager of the CRM owners data, about their agents, sent as a direct message to alerts.owners[manager]; or a channel, company-wide',
      ),
    managers: z.array(z.string().min(1)).optional().describe('with to: managers, only these managers (default: every manager in the owners data)'),
    schedule: cronSchema.default('0 8 * * 1').describe('cron expression in the digest time zone; default Monday 08:00'),
    timezone: timezoneSchema.optional().describe('time zone of the schedule (default: the config time zone)'),
    kpis: z
      .array(z.string())
      .optional()
      .describe('the KPIs covered (default: every KPI in the scorecard, else the catalog); a manager digest keeps those that split by manager'),
  })
  .refine((d) => d.managers === undefined || d.to === 'managers', { message: 'managers: only applies to a digest with to: managers', path: ['managers'] });

/** The whole crm-pulse.yaml. */
export const configSchema = z.strictObject({
  timezone: timezoneSchema.default('UTC').describe('time zone for periods and schedules'),
  fiscal_year_start_month: z.number().int().min(1, 'must be 1–12 (1 = January)').max(12, 'must be 1–12 (1 = January)').default(1),
  local: section(
    z.strictObject({
      as_of: z.iso.date('must be a date like 2017-12-31').optional().describe('the clock of local mode; default: the end of the data'),
    }),
  ),
  demo: section(
    z.strictObject({
      seed: z.number().int().default(42).describe('seed of the generated tickets, surveys and spend'),
    }),
  ),
  sources: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'source keys are lower-case letters, digits, - and _'), sourceSchema).default({}),
  kpis: z
    .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'KPI keys are lower-case letters, digits and _'), kpiSchema)
    .default({})
    .describe('KPIs added to or replacing the built-in catalog, by key'),
  targets: z.record(z.string(), targetSchema).default({}).describe('SMART targets by KPI key'),
  samples: section(
    z.strictObject({
      min: z.number().int().min(1).default(30).describe('the n under which a KPI value is low-confidence: marked, never "most unusual", never on or off track'),
      kpis: z.record(z.string(), z.number().int().min(1)).default({}).describe('per KPI key, its own minimum sample, e.g. { nps: 50 }'),
    }),
  ).describe('minimum sample sizes; see README: Sample sizes'),
  scorecard: section(
    z.strictObject({
      grain: z.enum(['day', 'week', 'month', 'quarter', 'year']).default('month').describe('the period the scorecard reads'),
      perspectives: z
        .strictObject({
          financial: perspectiveSchema.optional(),
          customer: perspectiveSchema.optional(),
          internal_process: perspectiveSchema.optional(),
          learning_growth: perspectiveSchema.optional(),
        })
        .default({}),
    }),
  ),
  alerts: section(alertsSchema).describe('alert rules, routing, quiet hours, data health and annotations'),
  schedules: section(
    z.strictObject({
      sync: z.record(z.string(), cronSchema).default({}).describe("source key → cron expression of its sync, e.g. { hubspot: '0 * * * *' }"),
      evaluate: cronSchema.default('*/15 * * * *').describe('cron expression of the alert evaluation; it also runs after each successful sync'),
      deliver_every: durationSchema.default('5s').describe('how often due Slack notifications are sent from the outbox'),
      catch_up: z
        .enum(['latest', 'none'])
        .default('latest')
        .describe('after downtime: latest runs each missed job once, for its latest missed tick; none waits for the next tick'),
      lease: durationSchema.default('10m').describe('how long a replica holds a running job before another may take it over; renewed while the job runs'),
    }),
  ).describe('when sources sync and alerts are evaluated, in the config time zone; see README: Schedules'),
  digests: z
    .array(digestSchema)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `digest '${d.name}' is defined twice; give each digest its own name` });
        seen.add(d.name);
      });
    })
    .describe('weekly digests to managers or channels; see README: Weekly digest'),
  slack: section(
    z.strictObject({
      locale: z.enum(LOCALES).default('en').describe('language of answers and cards in this workspace'),
      user_locales: z.record(z.string(), z.enum(LOCALES)).default({}).describe('per-user override: Slack user ID → en or zh'),
      admins: z
        .array(z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user ID such as U0123ABCD'))
        .default([])
        .describe('Slack user IDs allowed to run mutating commands'),
      admin_group: z
        .string()
        .regex(/^S[A-Z0-9]+$/, 'a Slack user group ID such as S0123ABCD')
        .optional()
        .describe('members of this user group are admins too'),
      charts: z
        .enum(['native', 'png', 'both'])
        .default('native')
        .describe(
          "charts in /kpi answers, alert cards and digests: native (a data_visualization block where it can draw the chart, else a PNG in the thread, or in your DM for an answer shown only to you; a card's line is redrawn at each change), png (always the PNG), both; a workspace that refuses the block gets PNGs from then on",
        ),
      tables: z
        .enum(['native', 'text'])
        .default('native')
        .describe(
          "tables in answers: native (Slack's sortable data_table block, split over messages past 100 rows or 10,000 characters) or text (monospaced); a workspace that refuses the block gets text",
        ),
    }),
  ).describe('the Slack app: language and who may change things'),
});

/** The validated config. */
export type Config = z.output<typeof configSchema>;
/** One validated digest. */
export type DigestConfig = z.output<typeof digestSchema>;
/** One validated source. */
export type SourceConfig = z.output<typeof sourceSchema>;
/** One validated CSV file mapping. */
export type CsvFileConfig = z.output<typeof csvFileSchema>;
/** One column spec, normalised to its object form. */
export type ColumnSpec = Exclude<z.output<typeof columnSpecSchema>, string>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The JSON Schema of crm-pulse.yaml, for editor completion. */
export function configJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as object),
    title: 'crm-pulse.yaml',
  };
}
