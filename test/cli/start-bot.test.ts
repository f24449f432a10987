// The bot as `crm-pulse start` runs it (startBot: the Bolt HTTP receiver and the scheduled jobs)
// against the fake Slack, with production's Slack client. The jobs are woken by hand and the wall
// clock is the app's injected clock, so the test decides how much time has passed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { startBot } from '../../src/cli/start-bot.ts';
import type { CliIo } from '../../src/cli/run-cli.ts';
import { readEnv } from '../../src/config/env.ts';
import type { Trigger } from '../../src/jobs/trigger.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger, silentLogger } from '../../src/lib/logger.ts';
import { lastLease } from '../../src/store/job-leases.ts';
import { dealsCsv, DROP_RULES, SOURCE } from '../alerts/alert-fixture.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { tempFiles } from '../helpers/import.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A bot over the alert fixture's CRM, its jobs woken by `fire`, its wall clock moved by `advance`. */
async function bot(
  vars: Record<string, string>,
  o: { before?: (slack: FakeSlack) => void; waitForJobs?: boolean } = {},
): Promise<{
  app: App;
  slack: FakeSlack;
  fire: (job: string) => Promise<void>;
  fires: (job: string) => void;
  advance: (ms: number) => void;
  output: () => string;
  done: Promise<number>;
}> {
  const dir = tempFiles({ 'owners.csv': 'id,name,office\nann,Ann,West\nbob,Bob,East\n', 'deals.csv': dealsCsv() });
  writeFileSync(join(dir, 'crm-pulse.yaml'), `${SOURCE}\n${DROP_RULES}\nschedules:\n  evaluate: '0 * * * *'\n  deliver_every: 5s\n`);
  const db = tempSqlite();
  const slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
  let wall = Date.parse('2026-01-05T10:00:00Z');
  const clock: Clock = { now: () => new Date(wall) };
  const env = readEnv({
    DATABASE_URL: db.url,
    CRM_PULSE_CONFIG: join(dir, 'crm-pulse.yaml'),
    SLACK_BOT_TOKEN: 'xoxb-bot-test',
    SLACK_SIGNING_SECRET: 'bot-test-secret',
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    CRM_PULSE_HTTP_TIMEOUT_MS: '2000',
    ...vars,
  });
  const app = await createApp(env, process.env.DEBUG_BOT ? createLogger({ level: 'debug', format: 'json' }) : silentLogger(), clock);
  const synced = await app.ingest('crm');
  expect(synced.every((r) => r.status === 'succeeded')).toBe(true);
  const fires = new Map<string, () => void>();
  const trigger: Trigger = { arm: (job, _tz, fire) => (fires.set(job.name, fire), async () => void fires.delete(job.name)) };
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  const io = { env: {}, stdout, stderr: new PassThrough(), stdin: new PassThrough() } as unknown as CliIo;
  o.before?.(slack);
  const done = startBot(app, io, { trigger });
  let stopped = false;
  void done.finally(() => void (stopped = true));
  closers.push(async () => {
    if (!stopped) process.emit('SIGTERM');
    await done;
    await app.close();
    await slack.close();
    await db.drop();
  });
  if (o.waitForJobs !== false) await until(() => fires.has('deliver'));
  // Wakes a job and waits until its tick is done, read from the job's lease as another replica would.
  const fire = async (job: string) => {
    const tick = clock.now().getTime();
    fires.get(job)!();
    await until(async () => {
      const last = await lastLease(app.db, job);
      return last !== undefined && last.done && last.tick.getTime() > tick - 10_000;
    });
  };
  return { app, slack, fire, fires: (job: string) => fires.get(job)!(), advance: (ms) => void (wall += ms), output: () => text, done };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

describe('startBot', () => {
  it('with CRM_PULSE_AS_OF pinned, a delivery that failed with a 500 is retried once real time has passed its backoff', async () => {
    const b = await bot({ CRM_PULSE_AS_OF: '2024-04-02' });
    // The catch-up evaluation (pinned to 2 April 2024) finds March's drop in the West.
    await until(async () => (await b.app.db.prisma.alertOutbox.count()) > 0);
    const queued = await b.app.db.prisma.alertOutbox.findMany();
    b.slack.fail('chat.postMessage', { status: 500 });
    b.advance(5_000);
    await b.fire('deliver');
    const failed = await b.app.db.prisma.alertOutbox.findFirstOrThrow({ where: { attempts: { gt: 0 }, lastError: { not: null } } });
    expect(failed.status).toBe('pending');
    expect(failed.lastError).toContain('HTTP 500');
    // Two hours of real time: past any backoff (at most 1 h). The pinned date does not move.
    b.advance(2 * 3_600_000);
    await b.fire('deliver');
    expect(await b.app.db.prisma.alertOutbox.count({ where: { status: 'sent' } })).toBe(queued.length);
    const posted = b.slack.messages.filter((m) => !m.thread_ts && m.metadata);
    expect(posted.map((m) => m.metadata!.event_payload.dedup_key).sort()).toEqual(queued.map((q) => q.dedupKey).sort());
  });

  it('SIGTERM while a Slack call hangs: the call times out, the bot exits 0 and the notification stays queued', async () => {
    const b = await bot({});
    // Without CRM_PULSE_AS_OF the catch-up evaluation reads the wall clock (2026), where the fixture
    // has no drop; evaluate as of the data instead, then let Slack swallow every post.
    await b.app.alerts.evaluate(new Date('2024-04-02T12:00:00Z'));
    const queued = await b.app.db.prisma.alertOutbox.count({ where: { status: 'pending' } });
    expect(queued).toBeGreaterThan(0);
    b.slack.inject = (method) => (method === 'chat.postMessage' ? { timeout: 'request' } : undefined);
    b.advance(5_000);
    b.fires('deliver');
    await until(() => b.slack.calls.some((c) => c.method === 'chat.postMessage'));
    process.emit('SIGTERM');
    expect(await b.done).toBe(0);
    expect(b.output()).toContain('crm-pulse: stopped');
    const rows = await b.app.db.prisma.alertOutbox.findMany();
    expect(rows.filter((r) => r.status === 'sent')).toEqual([]);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(queued);
    expect(rows.some((r) => r.lastError?.includes('no answer within CRM_PULSE_HTTP_TIMEOUT_MS'))).toBe(true);
  });

  it('Slack unreachable at start-up: the bot keeps trying, /healthz answers 503 meanwhile, and it starts by itself once Slack answers', async () => {
    const b = await bot({}, { before: (slack) => void (slack.inject = (method) => (method === 'auth.test' ? { cut: true } : undefined)), waitForJobs: false });
    await until(() => /trying again in/.test(b.output()));
    const port = Number(/\/healthz on port (\d+) answers 503/.exec(b.output())![1]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, database: 'ok', slack: 'unreachable', error: expect.stringContaining('[slack] auth.test') });
    b.slack.inject = undefined;
    await until(() => b.output().includes('crm-pulse: Slack bot running'));
    const running = Number(/HTTP on port (\d+)/.exec(b.output())![1]);
    const after = await fetch(`http://127.0.0.1:${running}/healthz`);
    expect(after.status).toBe(200);
    expect(b.slack.calls.filter((c) => c.method === 'auth.test').length).toBeGreaterThanOrEqual(2);
  });
});
