// Prints the Slack card of one delivered alert notification as the bot would post it with
// slack.charts: native (the Block Kit JSON, with its data_visualization line), and writes the
// PNG of the same chart input. Reads the local database (run `npm start` once first).
// Usage: tsx scripts/alert-card-example.ts <episode id> [event=firing] [png path]
import { writeFileSync } from 'node:fs';
import { createApp } from '../src/app.ts';
import { renderChart } from '../src/charts/render-chart.ts';
import { readEnv } from '../src/config/env.ts';
import type { AlertNotification } from '../src/domain/alert.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { alertCardChart, alertChartInput } from '../src/app/alert-chart.ts';
import { alertCard } from '../src/slack/blocks/alert-card.ts';

const [episode, event = 'firing', png] = process.argv.slice(2);
if (!episode) throw new Error('usage: tsx scripts/alert-card-example.ts <episode id> [event] [png path]');
const app = await createApp(readEnv(), silentLogger(), undefined, { readOnly: true });
try {
  const row = await app.db.prisma.alertOutbox.findFirst({ where: { episodeId: Number(episode), event }, orderBy: { id: 'asc' } });
  if (!row) throw new Error(`no ${event} notification of episode ${episode} in ${app.db.displayUrl}`);
  const n = JSON.parse(row.payload) as AlertNotification;
  const locale = app.config.config.slack.locale;
  const deps = { db: app.db, kpis: app.kpis, calendar: app.calendar, alerts: app.config.config.alerts, targets: app.config.config.targets };
  const chart = await alertCardChart(deps, locale)(n);
  const card = alertCard(n, locale, {}, chart?.native ? { native: chart.native, note: chart.note } : undefined);
  process.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
  if (png) writeFileSync(png, (await renderChart((await alertChartInput(deps, n, locale))!)).png);
} finally {
  await app.close();
}
