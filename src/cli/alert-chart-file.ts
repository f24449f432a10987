import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.ts';
import type { AlertNotification } from '../domain/alert.ts';

/**
 * Local mode's alert charts: the chart an alert card carries in Slack (app/alert-chart.ts, the
 * same input as its PNG and its native line), written as a PNG under `outDir`, one per event, named
 * after the KPI, the episode, the event and the period it judged. Resolves the file's path, or
 * undefined for a notification that has no chart (data health, rule errors).
 * @example localNotifier(file, print, { chart: alertChartFile(app, 'out') }) // out/alert-won-revenue-1-firing-2024-03.png
 */
export function alertChartFile(app: App, outDir: string): (n: AlertNotification) => Promise<string | undefined> {
  const deps = { db: app.db, kpis: app.kpis, calendar: app.calendar, alerts: app.config.config.alerts, targets: app.config.config.targets };
  // One event goes to several channels: its chart is written once.
  const written = new Map<string, Promise<string | undefined>>();
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '');
  return (n) => {
    const file = join(
      outDir,
      `alert-${slug(n.kpi)}-${n.episodeId}-${n.event}${n.dimension ? `-${slug(n.dimension.value)}` : ''}${n.period ? `-${slug(n.period)}` : ''}.png`,
    );
    let done = written.get(file);
    if (!done) {
      done = (async () => {
        // The chart modules load only when an alert is delivered.
        const [{ alertChartInput }, { renderChart }] = await Promise.all([import('../app/alert-chart.ts'), import('../charts/render-chart.ts')]);
        const input = await alertChartInput(deps, n, app.config.config.slack.locale);
        if (!input) return undefined;
        await mkdir(outDir, { recursive: true });
        await writeFile(file, (await renderChart(input)).png);
        return file;
      })();
      written.set(file, done);
    }
    return done;
  };
}
