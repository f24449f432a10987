import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { CATALOG } from '../../src/kpi/catalog.ts';
import { compileMetric } from '../../src/kpi/compile-metric.ts';
import { kpiRegistry } from '../../src/kpi/kpi-registry.ts';

const kpisOf = (yaml: string) => parseConfig(yaml, 'test.yaml').kpis;

describe('the KPI registry', () => {
  it('holds the built-in catalog, each KPI compiling on both engines', () => {
    const registry = kpiRegistry();
    expect(registry.all.map((k) => k.key)).toEqual(CATALOG.map((k) => k.key));
    const probe = [{ i: 0, start: new Date(0), end: new Date(1) }];
    for (const kpi of registry.all) {
      for (const [name, metric] of Object.entries(kpi.metrics)) {
        for (const dialect of ['sqlite', 'postgres'] as const) {
          expect(compileMetric(metric, probe, { dialect, where: `${kpi.key}.${name}` }).sql).toContain('WITH per(i, s, e, ps, pe, ce)');
        }
      }
    }
  });

  it('adds a KPI from the config and lets the config replace a built-in one', () => {
    const registry = kpiRegistry(
      kpisOf(`
kpis:
  big_wins:
    title: Big wins
    unit: count
    direction: higher
    metrics: { n: { entity: deals, aggregate: count, filter: { status: won, amount: { gte: 5000 } }, time: closed_at } }
    formula: n
  win_rate:
    title: Win rate (all deals)
    unit: percent
    direction: higher
    metrics:
      won: { entity: deals, aggregate: count, filter: { status: won }, time: closed_at }
      all: { entity: deals, aggregate: count, time: closed_at }
    formula: won / all
`),
    );
    expect(registry.get('big_wins').formula).toBe('n');
    expect(registry.get('win_rate').formula).toBe('won / all');
    expect(registry.all).toHaveLength(CATALOG.length + 1);
  });

  it('refuses a broken definition at start-up, naming the KPI, the place and the fix', () => {
    const broken = kpisOf(`
kpis:
  a:
    title: A
    unit: count
    direction: higher
    metrics: { n: { entity: deal, aggregate: count, time: closed_at } }
    formula: n
  b:
    title: B
    unit: count
    direction: higher
    metrics: { n: { entity: deals, aggregate: sum, field: amout, time: closed_at } }
    formula: n
  c:
    title: C
    unit: count
    direction: higher
    metrics: { n: { entity: deals, aggregate: count, time: closed_at } }
    formula: n + wins
`);
    expect(() => kpiRegistry(broken)).toThrow(
      [
        "[kpi] kpis.a.metrics.n.entity: unknown entity 'deal'; known: deals, order_lines, tickets, survey_answers, marketing_spend, customers, accounts",
        "[kpi] kpis.b.metrics.n.field: unknown field 'amout' of deals; known: name, stage, status, amount, product, owner, account, created_at, engaged_at, closed_at, cycle_days, value_or_list_price, id, external_id",
      ].join('\n'),
    );
    expect(() => kpiRegistry(broken)).toThrow("kpis.c.formula: 'wins' is not a metric of this KPI");
  });

  it('suggests the KPI meant by a typo', () => {
    expect(() => kpiRegistry().get('csta')).toThrow("[kpi] unknown KPI 'csta'; did you mean 'csat'?");
  });

  it('says which dimensions an entity has when asked for another', () => {
    const metric = kpiRegistry().get('win_rate').metrics.won!;
    expect(() => compileMetric(metric, [{ i: 0, start: new Date(0), end: new Date(1) }], { dialect: 'sqlite', by: 'segment', where: 'x' })).toThrow(
      "[kpi] deals cannot be broken down by 'segment'; dimensions of deals: owner, manager, office, region, product, sector, country, stage",
    );
  });

  it('documents every built-in KPI in the README with its exact definition', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const kpi of CATALOG) expect(readme).toContain(`| \`${kpi.key}\` ${kpi.title} | ${kpi.unit} | ${kpi.direction} | ${kpi.description} |`);
  });
});
