// Two bot replicas, each its own Node process, against one PostgreSQL database holding 10,000
// KPI × dimension series (two rules by owner over 5,000 sales agents). Both run the bot's jobs on
// the same ticks at the same time; each job tick must run exactly once across the two, and every
// notification the ticks cause must reach Slack exactly once (cards when 100 series fire, an edit
// and a thread line when they resolve).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { tempPostgres, type TestDatabase } from '../helpers/databases.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { OWNERS, REVENUE_BREAKERS, WIN_RATE_BREAKERS, writeReplicaScaleData } from './fixtures/replica-scale-data.ts';

const REPLICA = new URL('./fixtures/bot-replica.ts', import.meta.url).pathname;
/** Evaluation (and delivery) ticks: July judged (all ok), August (100 fire), August again (nothing new), September (all resolve). */
const TICKS = ['2024-08-02T06:00:00.000Z', '2024-09-02T06:00:00.000Z', '2024-09-03T06:00:00.000Z', '2024-10-02T06:00:00.000Z'];

interface ReplicaOutput {
  outcomes: { job: string; tick: string; outcome: string }[];
  evaluations: { tick: string; series: number; transitions: number; queued: number; errors: number; held: number }[];
  deliveries: { sent: number; retrying: number; failed: number; waiting: number }[];
}

/** Runs one replica process to its end; returns what it printed and its error-level log lines. */
async function replica(env: Record<string, string>): Promise<ReplicaOutput & { errorLines: string[] }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', REPLICA], {
    env: { ...process.env, ...env },
    cwd: new URL('../..', import.meta.url).pathname,
    maxBuffer: 64 << 20,
  });
  const errorLines = stderr.split('\n').filter((l) => /"level":(50|60)/.test(l) || /Error/.test(l));
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as ReplicaOutput), errorLines };
}

describe('two bot replicas against one PostgreSQL with 10,000 KPI × dimension series', () => {
  let database: TestDatabase;
  let slack: FakeSlack;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    database = await tempPostgres();
    slack = await startFakeSlack({ channels: { 'crm-alerts': 'C0ALERTS' } });
    dir = mkdtempSync(join(tmpdir(), 'crm-pulse-replicas-'));
    config = writeReplicaScaleData(dir);
    const app = await createApp(readEnv({ DATABASE_URL: database.url, CRM_PULSE_CONFIG: config }), silentLogger());
    try {
      const results = await app.ingest('crm');
      expect(results.map((r) => [r.object, r.status, r.counts.rejected])).toEqual([
        ['owners', 'succeeded', 0],
        ['deals', 'succeeded', 0],
      ]);
    } finally {
      await app.close();
    }
  });
  afterAll(async () => {
    await slack?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('run each job tick once across the two and deliver every notification exactly once', async () => {
    const env = {
      URL: database.url,
      CONFIG: config,
      SLACK_API_URL: slack.apiUrl,
      START: '2024-08-01T00:00:00.000Z',
      TICKS: TICKS.join(','),
      LOG_FORMAT: 'json',
    };
    const [a, b] = await Promise.all([replica(env), replica(env)]);
    expect([a.errorLines, b.errorLines]).toEqual([[], []]);

    // Each job tick: one replica ran it, the other found it taken.
    for (const job of ['evaluate', 'deliver']) {
      for (const tick of TICKS) {
        const pair = [a, b].map((r) => r.outcomes.find((o) => o.job === job && o.tick === tick)?.outcome);
        expect({ job, tick, outcomes: pair.sort() }).toEqual({ job, tick, outcomes: ['ran', 'taken'] });
      }
    }
    // The evaluations that ran, whoever ran them: every tick judged all 10,000 series, once.
    const evaluations = [...a.evaluations, ...b.evaluations].sort((x, y) => x.tick.localeCompare(y.tick));
    const fired = REVENUE_BREAKERS.length + WIN_RATE_BREAKERS.length;
    expect(evaluations.map((e) => [e.tick.slice(0, 10), e.series, e.transitions, e.queued, e.errors, e.held])).toEqual([
      ['2024-08-02', 2 * OWNERS, 0, 0, 0, 0],
      ['2024-09-02', 2 * OWNERS, fired, fired, 0, 0],
      ['2024-09-03', 2 * OWNERS, 0, 0, 0, 0],
      ['2024-10-02', 2 * OWNERS, fired, fired, 0, 0],
    ]);
    const deliveries = [...a.deliveries, ...b.deliveries];
    expect(deliveries.reduce((s, d) => s + d.sent, 0)).toBe(2 * fired);
    expect(deliveries.every((d) => d.failed === 0 && d.retrying === 0 && d.waiting === 0)).toBe(true);

    // Slack: one card per firing series with its chart in the thread, each card edited once on
    // resolution, and one thread line each.
    const cards = slack.messages.filter((m) => !m.thread_ts);
    const charts = slack.messages.filter((m) => m.thread_ts && m.files);
    const lines = slack.messages.filter((m) => m.thread_ts && !m.files);
    expect(cards).toHaveLength(fired);
    expect(lines).toHaveLength(fired);
    expect(charts).toHaveLength(fired);
    expect(new Set(charts.map((c) => c.thread_ts))).toEqual(new Set(cards.map((c) => c.ts)));
    const keys = [...cards, ...lines].map((m) => String(m.metadata?.event_payload.dedup_key));
    expect(new Set(keys).size).toBe(2 * fired);
    expect(cards.every((c) => c.edits === 1)).toBe(true);
    expect(new Set(lines.map((l) => l.thread_ts))).toEqual(new Set(cards.map((c) => c.ts)));
    // The right series fired and resolved: one episode per breaking owner and rule.
    const db = await openDatabase(database.url);
    try {
      const episodes = await db.sql.all<{ rule: string; series_key: string; ended: number }>(
        'SELECT "rule", "series_key", CASE WHEN "ended_at" IS NULL THEN 0 ELSE 1 END AS "ended" FROM "alert_episodes"',
      );
      // The series key is the owner's name, `Agent <n>` for owner `o<n>`.
      const name = (owner: string) => `Agent ${Number(owner.slice(1))}`;
      expect(episodes.map((e) => `${e.rule} ${e.series_key} ${e.ended}`).sort()).toEqual(
        [...REVENUE_BREAKERS.map((o) => `revenue_low ${name(o)} 1`), ...WIN_RATE_BREAKERS.map((o) => `win_rate_low ${name(o)} 1`)].sort(),
      );
      const outbox = await db.sql.all<{ status: string; n: number }>('SELECT "status", COUNT(*) AS "n" FROM "alert_outbox" GROUP BY "status"');
      expect(outbox.map((r) => [r.status, Number(r.n)])).toEqual([['sent', 2 * fired]]);
    } finally {
      await db.close();
    }
    expect(slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(fired);
  }, 170_000);
});
