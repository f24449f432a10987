import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE, loadConfig, parseConfig } from '../../src/config/load-config.ts';
import { configJsonSchema } from '../../src/config/config-schema.ts';

const testdata = new URL('./testdata/', import.meta.url);
const bad = (file: string) => () => parseConfig(readFileSync(new URL(file, testdata), 'utf8'), file);

// One file per config error, each with the exact message a user sees (Alertmanager's habit).
const EXPECTED: Record<string, string> = {
  'unknown-top-level-key.yaml': "[config] unknown-top-level-key.yaml:2: unknown key 'timezon'; did you mean 'timezone'?",
  'bad-timezone.yaml': '[config] bad-timezone.yaml:1: timezone: unknown time zone; use an IANA name such as Europe/London',
  'bad-fiscal-month.yaml': '[config] bad-fiscal-month.yaml:1: fiscal_year_start_month: must be 1–12 (1 = January)',
  'unknown-field.yaml':
    "[config] unknown-field.yaml:11: sources.crm.files[0].columns.wins: unknown field 'wins' for deals; known: name, stage, status, amount, product, owner, account, created_at, engaged_at, closed_at",
  'required-field-unmapped.yaml':
    "[config] required-field-unmapped.yaml:9: sources.crm.files[0].columns: required field 'status' of deals is not mapped; add 'status: <column>'",
  'unknown-object.yaml':
    '[config] unknown-object.yaml:5: sources.crm.files[0].object: got string "opportunities"; expected one of "owners", "accounts", "customers", "products", "deals", "order_lines", "tickets", "survey_answers", "marketing_spend"',
  'unknown-source-kind.yaml': '[config] unknown-source-kind.yaml:3: sources.crm.kind: unknown kind "pipedrive"; known: csv, hubspot, salesforce',
  'yaml-syntax.yaml': '[config] yaml-syntax.yaml:5: All mapping items must start at the same column\n  fix: fix the YAML syntax at that line',
  'column-spec-without-from.yaml': "[config] column-spec-without-from.yaml:9: sources.crm.files[0].columns.name: needs 'from: <column>' or 'value: <constant>'",
  'bad-source-key.yaml': '[config] bad-source-key.yaml:2: sources.Maven CRM: source keys are lower-case letters, digits, - and _',
  'duplicate-key.yaml': '[config] duplicate-key.yaml:2: Map keys must be unique\n  fix: fix the YAML syntax at that line',
  'bad-as-of.yaml': '[config] bad-as-of.yaml:2: local.as_of: must be a date like 2017-12-31',
  'alert-threshold-two-sides.yaml':
    "[config] alert-threshold-two-sides.yaml:6: alerts.rules.low.conditions[0]: a threshold needs exactly one of 'above:', 'below:' or 'outside:'",
  'alert-bad-repeat.yaml': '[config] alert-bad-repeat.yaml:5: alerts.rules.low.repeat: write a duration as a number and a unit: 30m, 4h, 1d, 2w',
  'alert-unknown-condition.yaml':
    '[config] alert-unknown-condition.yaml:6: alerts.rules.low.conditions[0].type: unknown type "trend"; known: threshold, change, target_pace, anomaly, forecast, forecast_target',
  'alert-forecast-bad-interval.yaml':
    '[config] alert-forecast-bad-interval.yaml:7: alerts.rules.orders_off.conditions[0].interval: an interval is a coverage in percent from 50 to 99.9, e.g. 95',
  'alert-forecast-target-bad-likelihood.yaml':
    '[config] alert-forecast-target-bad-likelihood.yaml:6: alerts.rules.miss.conditions[0].likelihood: likelihood is a probability from 0 to 1, e.g. 0.7 for 70%',
  'alert-bad-quiet-hours.yaml': '[config] alert-bad-quiet-hours.yaml:3: alerts.quiet_hours[0].from: write a time as HH:MM, e.g. 08:00',
  'schedule-bad-cron.yaml': "[config] schedule-bad-cron.yaml:3: schedules.sync.crm: '0 25 * * *': hour '25' is not a value from 0 to 23",
  'digest-duplicate-name.yaml': "[config] digest-duplicate-name.yaml:4: digests[1].name: digest 'weekly' is defined twice; give each digest its own name",
  'digest-bad-to.yaml': '[config] digest-bad-to.yaml:3: digests[0].to: write managers, a #channel name or a channel ID such as C0123ABCD',
  'digest-managers-for-channel.yaml': '[config] digest-managers-for-channel.yaml:4: digests[0].managers: managers: only applies to a digest with to: managers',
  'slack-bad-tables.yaml': '[config] slack-bad-tables.yaml:2: slack.tables: got string "image"; expected one of "native", "text"',
};

describe('config errors name the file, the line, the path and the fix', () => {
  it('has an expectation for every testdata file', () => {
    // check-*.yaml are valid to the schema and fail the checks against the KPIs: config-check.test.ts.
    expect(
      readdirSync(testdata)
        .filter((f) => !f.startsWith('check-'))
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const [file, message] of Object.entries(EXPECTED)) {
    it(file, () => expect(bad(file)).toThrow(message));
  }
  it('reports every problem of a file at once', () => {
    const text = 'timezone: Nowhere/Land\nfiscal_year_start_month: 0\n';
    expect(() => parseConfig(text, 'x.yaml')).toThrow(
      '[config] x.yaml:1: timezone: unknown time zone; use an IANA name such as Europe/London\n[config] x.yaml:2: fiscal_year_start_month: must be 1–12 (1 = January)',
    );
  });
});

describe('loading', () => {
  it('falls back to the bundled demo config when crm-pulse.yaml does not exist', () => {
    const loaded = loadConfig('/nonexistent/crm-pulse.yaml', { explicit: false });
    expect(loaded.isDefault).toBe(true);
    expect(loaded.file).toBe(DEFAULT_CONFIG_FILE);
    expect(Object.keys(loaded.config.sources)).toEqual(['maven-crm', 'online-retail']);
    const maven = loaded.config.sources['maven-crm']!;
    expect(maven.kind === 'csv' && maven.files.map((f) => f.object)).toEqual(['accounts', 'products', 'owners', 'deals']);
  });
  it('refuses a missing file that was asked for by name', () => {
    expect(() => loadConfig('/nonexistent/mine.yaml', { explicit: true })).toThrow('[config] /nonexistent/mine.yaml: file not found');
  });
  it('applies defaults for what a minimal file leaves out', () => {
    const config = parseConfig('sources: {}\n', 'min.yaml');
    expect(config).toEqual({
      timezone: 'UTC',
      fiscal_year_start_month: 1,
      local: {},
      demo: { seed: 42 },
      sources: {},
      kpis: {},
      targets: {},
      samples: { min: 30, kpis: {} },
      scorecard: { grain: 'month', perspectives: {} },
      alerts: { channels: ['#crm-alerts'], routes: [], mentions: {}, owners: {}, quiet_hours: [], data_health: { sources: {} }, annotations: [], rules: {} },
      schedules: { sync: {}, evaluate: '*/15 * * * *', deliver_every: '5s', catch_up: 'latest', lease: '10m' },
      digests: [],
      slack: { locale: 'en', user_locales: {}, admins: [], charts: 'native', tables: 'native' },
    });
  });
});

describe('JSON Schema for editors', () => {
  it('is committed and current: regenerate with npm run config:schema', () => {
    const committed = JSON.parse(readFileSync(new URL('../../crm-pulse.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
  it('describes the source mappings', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties)).toEqual([
      'timezone',
      'fiscal_year_start_month',
      'local',
      'demo',
      'sources',
      'kpis',
      'targets',
      'samples',
      'scorecard',
      'alerts',
      'schedules',
      'digests',
      'slack',
    ]);
    expect(schema.properties.timezone!.description).toBe('time zone for periods and schedules');
  });
});
