// The evaluation pipeline is a list of stages of one signature (src/alerts/pipeline.ts): a stage
// added to the list changes what it should and nothing else. Two stores over the same fixture run
// the same ticks, one through PIPELINE and one through PIPELINE with a test-only stage that keeps
// one channel quiet; see alert-fixture.ts for the data (West's won revenue drops 60% in March 2024).
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { evaluateAlerts, type AlertsDeps } from '../../src/alerts/evaluate-alerts.ts';
import { PIPELINE } from '../../src/alerts/pipeline.ts';
import { routeStage } from '../../src/alerts/route-notification.ts';
import type { Pipeline, Stage } from '../../src/alerts/stage.ts';
import { alertFixture, at } from './alert-fixture.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A stage that drops every notification to #leads, after routing. */
const quietLeads: Stage = async (batch) => ({
  ...batch,
  alerts: batch.alerts.map((a) => (a.notifications ? { ...a, notifications: a.notifications.filter((n) => n.channel !== '#leads') } : a)),
});

/** Runs the ticks of the lifecycle (fire, steady, remind, resolve) on a fresh store, through `pipeline`. */
async function run(pipeline: Pipeline) {
  const f = await alertFixture();
  closers.push(f.close);
  const app: App = f.app;
  const deps: AlertsDeps = {
    db: app.db,
    kpis: app.kpis,
    calendar: app.calendar,
    alerts: app.config.config.alerts,
    targets: app.config.config.targets,
    pipeline,
  };
  const reports = [];
  for (const iso of ['2024-04-01T09:00:00Z', '2024-04-01T10:00:00Z', '2024-04-02T09:30:00Z', '2024-05-01T09:00:00Z']) {
    const r = await evaluateAlerts(deps, at(iso));
    reports.push({ series: r.series, queued: r.queued, transitions: r.transitions.map((t) => `${t.seriesKey}: ${t.from} → ${t.to}`) });
  }
  const p = app.db.prisma;
  return {
    reports,
    outbox: (await p.alertOutbox.findMany({ orderBy: { id: 'asc' } })).map((o) => `${o.event} ${o.channel} ${o.status}`),
    episodes: (await p.alertEpisode.findMany({ orderBy: { id: 'asc' } })).map(
      (e) => `${e.seriesKey} ${e.severity} ${e.startedAt.toISOString()} ${e.endedAt?.toISOString()}`,
    ),
    transitions: (await p.alertTransition.findMany({ orderBy: { id: 'asc' } })).map(
      (t) => `${t.seriesKey} ${t.fromState} → ${t.toState} ${t.at.toISOString()}`,
    ),
  };
}

describe('the evaluation pipeline', () => {
  it('takes a new stage by adding it to the list: it changes only what it should', async () => {
    const plain = await run(PIPELINE);
    const route = PIPELINE.indexOf(routeStage);
    expect(route).toBeGreaterThan(0);
    const quiet = await run([...PIPELINE.slice(0, route + 1), quietLeads, ...PIPELINE.slice(route + 1)]);

    // Through PIPELINE: fired, reminded and resolved on both the rule's channel and the critical route's.
    expect(plain.outbox).toEqual([
      'firing #alerts pending',
      'firing #leads pending',
      'reminder #alerts pending',
      'reminder #leads pending',
      'resolved #alerts pending',
      'resolved #leads pending',
    ]);
    expect(plain.reports.map((r) => r.queued)).toEqual([2, 0, 2, 2]);
    // With the extra stage: the same episodes, transitions and series, and no row for #leads.
    expect(quiet.outbox).toEqual(plain.outbox.filter((o) => !o.includes('#leads')));
    expect(quiet.reports.map((r) => r.queued)).toEqual([1, 0, 1, 1]);
    expect(quiet.episodes).toEqual(plain.episodes);
    expect(quiet.transitions).toEqual(plain.transitions);
    expect(quiet.reports.map((r) => [r.series, r.transitions])).toEqual(plain.reports.map((r) => [r.series, r.transitions]));
    expect(plain.transitions).toEqual(['West ok → firing 2024-04-01T09:00:00.000Z', 'West firing → resolved 2024-05-01T09:00:00.000Z']);
  });
});
