import type { Command } from 'commander';
import type { App } from '../app.ts';
import type { KpiDefinition } from '../domain/kpi.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { WithApp } from './run-cli.ts';

/** What the rollup verbs need from the CLI. */
export interface RollupCommandContext {
  readonly withApp: WithApp;
  readonly print: (text: string) => void;
}

/** Adds `rollups rebuild` and `rollups check` (issue 18, part 4). */
export function registerRollupCommands(program: Command, ctx: RollupCommandContext): void {
  const rollups = program.command('rollups').description('the per-day rollups that counts, sums and averages are read from');
  rollups
    .command('rebuild')
    .description('rebuild the rollups of the configured KPIs (totals and every breakdown an alert rule or digest uses) from raw rows')
    .option('--kpi <key>', 'only this KPI')
    .action(async (opts: { kpi?: string }) => {
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const { rebuildRollups, rollupsOf } = await import('../kpi/rollup-maintenance.ts');
        const t0 = performance.now();
        const done = await rebuildRollups(app.db, rollupsOf(await configuredRollups(app, opts.kpi), app.calendar, app.db.dialect));
        for (const r of done) ctx.print(`rebuilt ${r.name} (key ${r.spec.key}): ${r.days} days, ${r.rows} rows, ${r.seconds.toFixed(2)} s`);
        const days = done.reduce((n, r) => n + r.days, 0);
        const rows = done.reduce((n, r) => n + r.rows, 0);
        ctx.print(`Rebuilt ${done.length} rollups from raw rows: ${days} days, ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
        return 0;
      });
    });
  rollups
    .command('check')
    .description('compare a random sample of stored days of each rollup with raw rows; exits 1 on any drift')
    .option('--kpi <key>', 'only this KPI')
    .option('--days <n>', 'days sampled per rollup', '30')
    .action(async (opts: { kpi?: string; days: string }) => {
      const days = Number(opts.days);
      if (!Number.isSafeInteger(days) || days < 1) {
        throw new CrmPulseError('usage', `[rollups] --days must be a whole number of days, 1 or more; got '${opts.days}'`, {
          hint: 'crm-pulse rollups check --days 30',
        });
      }
      await ctx.withApp({ ...program.opts(), quiet: true }, async (app) => {
        const { checkRollups, rollupsOf } = await import('../kpi/rollup-maintenance.ts');
        const named = rollupsOf(await configuredRollups(app, opts.kpi), app.calendar, app.db.dialect);
        const { days: checked, drift } = await checkRollups(app.db, named, days);
        const shown = (v: readonly number[] | null | undefined) => (v === undefined ? 'no row' : v === null ? 'empty' : v.join(' / '));
        for (const d of drift) {
          ctx.print(`drift: ${d.name} (key ${d.spec.key}) day ${d.day} dimension '${d.d}': rollup ${shown(d.rollup)}, raw ${shown(d.raw)}`);
        }
        if (drift.length === 0) {
          ctx.print(`Checked ${named.length} rollups over ${checked} days: no drift.`);
          return 0;
        }
        ctx.print(`${drift.length} values of ${named.length} rollups drifted from raw rows. Run \`crm-pulse rollups rebuild\` to rebuild them from raw rows.`);
        return 1;
      });
    });
}

/**
 * The KPIs and breakdowns whose rollups are kept: each KPI in totals, by every dimension an alert
 * rule on it splits by, and by manager and owner for a manager digest.
 */
async function configuredRollups(app: App, only: string | undefined): Promise<{ kpi: KpiDefinition; by: string | undefined }[]> {
  const { kpiDimensions } = await import('../kpi/kpi-dimensions.ts');
  const kpis = only === undefined ? app.kpis.all : [app.kpis.get(only)];
  const managers = app.config.config.digests.some((d) => d.to === 'managers');
  const out: { kpi: KpiDefinition; by: string | undefined }[] = [];
  for (const kpi of kpis) {
    const dims = new Set<string | undefined>([undefined]);
    for (const rule of Object.values(app.config.config.alerts.rules)) if (rule.kpi === kpi.key && rule.by !== undefined) dims.add(rule.by);
    if (managers) for (const d of ['manager', 'owner']) dims.add(d);
    // A dimension the KPI lacks has no rollup: the digest only splits KPIs that have it.
    const has = new Set(kpiDimensions(kpi));
    for (const by of dims) if (by === undefined || has.has(by)) out.push({ kpi, by });
  }
  return out;
}
