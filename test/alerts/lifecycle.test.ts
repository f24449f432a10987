// The alert pipeline end to end on a store: evaluate → transition → mute → outbox → deliver, with
// a fixed clock. See alert-fixture.ts for the data: West's won revenue drops 60% in March 2024.
import { formatNotification } from '../../src/local/format-notification.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { ENGINES, tempSqlite } from '../helpers/databases.ts';

const create = async () => tempSqlite();
import { alertFixture, at, DROP_RULES, recordingNotifier } from './alert-fixture.ts';

const summary = (n: AlertNotification) => `${n.event} ${n.severity} ${n.channel} ${n.dimension?.value ?? ''} ${n.period}`;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
async function fixture(alerts = DROP_RULES, options: Parameters<typeof alertFixture>[1] = {}) {
  const f = await alertFixture(alerts, options);
  closers.push(f.close);
  return f;
}

describe.each(ENGINES)('alert lifecycle on $engine', ({ create }) => {
  it('fires once, stays quiet while nothing changes, reminds, stops reminding when acknowledged, resolves', async () => {
    const { app } = await fixture(DROP_RULES, { database: await create() });
    const notifier = recordingNotifier();
    const tick = async (iso: string) => {
      const report = await app.alerts.evaluate(at(iso));
      await app.alerts.deliver(notifier, at(iso));
      return report;
    };

    const first = await tick('2024-04-01T09:00:00Z');
    expect(first.transitions.map((t) => `${t.seriesKey}: ${t.from} → ${t.to}`)).toEqual(['West: ok → firing']);
    expect(notifier.delivered.map(summary)).toEqual(['firing critical #alerts West 2024-03', 'firing critical #leads West 2024-03']);
    const card = notifier.delivered[0]!;
    expect(card.summary).toBe('Won revenue 40: dropped 60.0% vs 2024-02 (critical at a drop of 50%)');
    expect(card.mentions).toEqual(['@here']);

    // Nothing changed: no notification.
    expect((await tick('2024-04-01T10:00:00Z')).queued).toBe(0);
    expect(notifier.delivered).toHaveLength(2);

    // A day after the last notice: a reminder on each channel.
    await tick('2024-04-02T09:30:00Z');
    expect(notifier.delivered.slice(2).map((n) => n.event)).toEqual(['reminder', 'reminder']);

    // Acknowledged: no more reminders, the episode keeps firing.
    const [episode] = (await app.alerts.overview(at('2024-04-03T00:00:00Z'))).open;
    await app.alerts.acknowledge(episode!.id, 'maria', at('2024-04-02T10:00:00Z'));
    await tick('2024-04-03T12:00:00Z');
    expect(notifier.delivered).toHaveLength(4);
    expect((await app.alerts.overview(at('2024-04-03T12:00:00Z'))).open.map((e) => [e.seriesKey, e.acknowledgedBy])).toEqual([['West', 'maria']]);

    // April is back to 100: resolved, announced on both channels of the card.
    const resolved = await tick('2024-05-01T09:00:00Z');
    expect(resolved.transitions.map((t) => `${t.seriesKey}: ${t.from} → ${t.to}`)).toEqual(['West: firing → resolved']);
    expect(notifier.delivered.slice(4).map(summary)).toEqual(['resolved critical #alerts West 2024-04', 'resolved critical #leads West 2024-04']);
    expect((await app.alerts.overview(at('2024-05-01T09:00:00Z'))).open).toEqual([]);

    // The episode's record: start, end, worst value, values seen; transitions and the audit trail.
    const row = await app.db.prisma.alertEpisode.findUniqueOrThrow({ where: { id: episode!.id } });
    expect([row.startedAt.toISOString(), row.endedAt?.toISOString(), row.peakValue, row.severity]).toEqual([
      '2024-04-01T09:00:00.000Z',
      '2024-05-01T09:00:00.000Z',
      40,
      'critical',
    ]);
    expect((JSON.parse(row.seen) as { value: number }[]).map((s) => s.value)).toEqual([40, 100]);
    const transitions = await app.db.prisma.alertTransition.findMany({ orderBy: { id: 'asc' } });
    expect(transitions.map((t) => `${t.fromState}→${t.toState}`)).toEqual(['ok→firing', 'firing→resolved']);
    const audit = await app.alerts.audit();
    expect(audit.map((a) => `${a.actor} ${a.action} ${a.subject}`)).toEqual([`maria acknowledge episode ${episode!.id}`, 'config rule_added rule drop']);

    // The next bad month opens a new episode.
    await tick('2024-07-01T09:00:00Z');
    expect(notifier.delivered.slice(6).map(summary)).toEqual(['firing warning #alerts West 2024-06']);
    expect(notifier.delivered[6]!.episodeId).not.toBe(episode!.id);
  });
});

describe('muting', () => {
  it('a silence mutes; when it expires while the alert still fires, the current state is sent once', async () => {
    const { app } = await fixture();
    const notifier = recordingNotifier();
    await app.alerts.silence({ kpi: 'won_revenue', dimension: 'West' }, at('2024-04-01T12:00:00Z'), 'ops', 'quarter close', at('2024-04-01T08:00:00Z'));
    await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'));
    expect(notifier.delivered).toEqual([]);
    expect((await app.alerts.overview(at('2024-04-01T09:00:00Z'))).outbox.counts).toEqual({ muted: 2 });

    await app.alerts.evaluate(at('2024-04-01T13:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T13:00:00Z'));
    expect(notifier.delivered.map(summary)).toEqual(['firing critical #alerts West 2024-03', 'firing critical #leads West 2024-03']);
    expect(notifier.delivered[0]!.releasedNote).toBe('silence over');
  });

  it('an episode that began and ended inside a silence is never sent', async () => {
    const { app } = await fixture();
    const notifier = recordingNotifier();
    await app.alerts.silence({ rule: 'drop' }, at('2024-06-01T00:00:00Z'), 'ops', 'migration', at('2024-03-31T00:00:00Z'));
    for (const iso of ['2024-04-01T09:00:00Z', '2024-05-01T09:00:00Z', '2024-06-02T09:00:00Z']) {
      await app.alerts.evaluate(at(iso));
      await app.alerts.deliver(notifier, at(iso));
    }
    expect(notifier.delivered).toEqual([]);
    const rows = await app.db.prisma.alertOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.event, r.status, r.note])).toEqual([
      ['firing', 'dropped', 'the episode began and ended while silenced'],
      ['firing', 'dropped', 'the episode began and ended while silenced'],
      ['resolved', 'dropped', 'the episode began and ended while silenced'],
      ['resolved', 'dropped', 'the episode began and ended while silenced'],
    ]);
  });

  it('quiet hours hold notifications and release them when the window ends', async () => {
    const { app } = await fixture(DROP_RULES.replace('  owners: {}', "  owners: {}\n  quiet_hours: [{ from: '20:00', to: '07:00' }]"));
    const notifier = recordingNotifier();
    await app.alerts.evaluate(at('2024-04-01T02:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T02:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T06:59:00Z'));
    expect(notifier.delivered).toEqual([]);
    await app.alerts.deliver(notifier, at('2024-04-01T07:00:00Z'));
    expect(notifier.delivered.map(summary)).toEqual(['firing critical #alerts West 2024-03', 'firing critical #leads West 2024-03']);
    expect(notifier.delivered[0]!.releasedNote).toBe('held for quiet hours until 2024-04-01 07:00 UTC');
    // Printed once delivered, it says the hold is over rather than that the alert is still held.
    expect(formatNotification(notifier.delivered[0]!).split('\n').at(-1)).toBe('   (delivered late, held for quiet hours until 2024-04-01 07:00 UTC)');
  });

  it('a snooze until the next sync ends with the sync', async () => {
    const { app } = await fixture();
    const notifier = recordingNotifier();
    await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'));
    const [episode] = (await app.alerts.overview(at('2024-04-01T09:00:00Z'))).open;
    await app.alerts.snooze(episode!.id, 'sync', 'sam', at('2024-04-01T10:00:00Z'));
    await app.alerts.evaluate(at('2024-04-02T10:00:00Z')); // reminder due, but snoozed
    await app.alerts.deliver(notifier, at('2024-04-02T10:00:00Z'));
    expect(notifier.delivered).toHaveLength(2);
    expect((await app.alerts.overview(at('2024-04-02T10:00:00Z'))).silences.map((s) => s.reason)).toEqual(['snoozed until the next data sync']);

    await app.ingest('crm');
    expect((await app.alerts.overview(at('2024-04-02T11:00:00Z'))).silences).toEqual([]);
    await app.alerts.evaluate(at('2024-04-02T11:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-02T11:00:00Z'));
    expect(notifier.delivered.slice(2).map((n) => n.event)).toEqual(['reminder', 'reminder']);
  });
});

describe('delivery', () => {
  it('retries a retryable failure with backoff, keeps per-channel order, and marks sent only on success', async () => {
    const { app } = await fixture();
    const notifier = recordingNotifier();
    await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    notifier.failNext(1, true);
    // Full jitter (lib/retry.ts) at 0.9999995 waits what the outbox's former equal jitter waited at 0.999999.
    const policy = { policy: { attempts: 3, baseMs: 60_000, capMs: 600_000, maxWaitMs: Infinity }, random: () => 0.9999995 };
    const first = await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'), policy);
    expect(first).toEqual({ sent: 1, retrying: 1, failed: 0, waiting: 0 });
    expect(notifier.delivered.map((n) => n.channel)).toEqual(['#leads']);
    // Not due yet (backoff about a minute).
    expect(await app.alerts.deliver(notifier, at('2024-04-01T09:00:30Z'), policy)).toEqual({ sent: 0, retrying: 0, failed: 0, waiting: 0 });
    expect(await app.alerts.deliver(notifier, at('2024-04-01T09:01:00Z'), policy)).toEqual({ sent: 1, retrying: 0, failed: 0, waiting: 0 });
    expect(notifier.delivered.map((n) => n.channel)).toEqual(['#leads', '#alerts']);
    const rows = await app.db.prisma.alertOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['#alerts', 'sent', 2],
      ['#leads', 'sent', 1],
    ]);
  });

  it('a permanent failure stays visible with its error, and later events of that card wait behind it', async () => {
    const { app } = await fixture();
    const notifier = recordingNotifier();
    await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    notifier.failNext(1, false);
    expect(await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'))).toEqual({ sent: 1, retrying: 0, failed: 1, waiting: 0 });
    const overview = await app.alerts.overview(at('2024-04-01T09:00:00Z'));
    expect(overview.outbox.counts).toEqual({ failed: 1, sent: 1 });
    expect(overview.outbox.failed.map((f) => [f.channel, f.lastError])).toEqual([['#alerts', '[test] delivery to #alerts failed']]);
  });
});

describe('data health and errors', () => {
  const HEALTH = DROP_RULES.replace('  owners: {}', '  owners: {}\n  data_health: { max_sync_age: 2d }');

  it('a stale source holds the KPI alerts that read it and raises one "data is stale" alert instead', async () => {
    const { app } = await fixture(HEALTH, { clock: { now: () => at('2024-03-20T00:00:00Z') } });
    const notifier = recordingNotifier();
    const report = await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'));
    expect([...report.held]).toEqual([['drop', 'data from crm is stale']]);
    expect(notifier.delivered.map((n) => `${n.kind} ${n.event} ${n.channel}`)).toEqual(['data_stale firing #alerts', 'data_stale firing #leads']);
    expect(notifier.delivered[0]!.summary).toBe('crm last synced successfully 12d 9h ago (limit 2d); alerts on its data are held');

    // Fresh data again: the stale alert resolves and the KPI rule runs.
    const fresh = await app.alerts.evaluate(at('2024-03-21T00:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-03-21T00:00:00Z'));
    expect(fresh.held.size).toBe(0);
    expect(notifier.delivered.slice(2).map((n) => `${n.kind} ${n.event}`)).toEqual(['data_stale resolved', 'data_stale resolved']);
  });

  it('incomplete deal data holds the deal rules of that period and raises one "data incomplete" alert', async () => {
    const { app } = await fixture(DROP_RULES.replace('  owners: {}', '  owners: {}\n  data_health: { min_completeness: 0.5 }'));
    const notifier = recordingNotifier();
    const report = await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'));
    expect([...report.held]).toEqual([['drop', 'deal data in 2024-03 is 0.0% complete']]);
    expect(notifier.delivered.map((n) => `${n.kind} ${n.severity} ${n.channel}: ${n.summary}`)).toEqual([
      'data_incomplete warning #alerts: deal data completeness is under the floor (2024-03 0.0%); deal alerts are held',
    ]);
  });

  it('a changed, added or removed rule is audited', async () => {
    const database = await create();
    const first = await fixture(DROP_RULES, { database: { url: database.url, drop: async () => undefined } });
    await first.app.alerts.evaluate(at('2024-02-01T00:00:00Z'));
    await first.app.close();
    const changed = DROP_RULES.replace('drop: { warning: 30, critical: 50 }', 'drop: { warning: 25, critical: 50 }');
    const second = await fixture(changed, { database });
    await second.app.alerts.evaluate(at('2024-02-02T00:00:00Z'));
    expect((await second.app.alerts.audit()).map((a) => `${a.action} ${a.subject}`)).toEqual(['rule_changed rule drop', 'rule_added rule drop']);
    await second.app.alerts.evaluate(at('2024-02-03T00:00:00Z'));
    expect(await second.app.alerts.audit()).toHaveLength(2);
  });

  it('a rule that cannot be evaluated is an error alert, resolved when it works again', async () => {
    const { app } = await fixture();
    const notifier = recordingNotifier();
    await app.db.sql.exec('ALTER TABLE "deals" RENAME TO "deals_away"');
    const broken = await app.alerts.evaluate(at('2024-04-01T09:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T09:00:00Z'));
    expect([...broken.errors.keys()]).toEqual(['drop']);
    expect(notifier.delivered.map((n) => `${n.kind} ${n.event}`)).toEqual(['error firing']);
    expect(notifier.delivered[0]!.summary).toMatch(/^rule drop could not be evaluated: .*deals/);
    await app.db.sql.exec('ALTER TABLE "deals_away" RENAME TO "deals"');
    await app.alerts.evaluate(at('2024-04-01T10:00:00Z'));
    await app.alerts.deliver(notifier, at('2024-04-01T10:00:00Z'));
    expect(notifier.delivered.map((n) => `${n.kind} ${n.event}`)).toEqual(['error firing', 'error resolved', 'kpi firing', 'kpi firing']);
  });
});
