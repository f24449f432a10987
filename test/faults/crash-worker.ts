// The process that crash-trials.test.ts kills: runs sync → evaluate → deliver for each phase of the
// trial, as the bot's scheduled jobs do, skipping the phases an earlier (killed) run finished.
// CRM_PULSE_FAILPOINTS says where it dies. Notifications go to the fake Slack at SLACK_API_URL through
// production's client (createSlackClient); the fake loses some answers after acting, and the worker
// keeps delivering (its clock moved past each backoff) until the outbox is empty, as the bot's
// deliver job would. Exit codes: 0 done, 3 a sync failed, 4 a delivery failed for good.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createApp } from '../../src/app.ts';
import { readEnv } from '../../src/config/env.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';

const phases = JSON.parse(process.env.CRASH_PHASES ?? '[]') as { phase: number; asOf: string }[];
const progress = process.env.CRASH_PROGRESS!;
const control = process.env.CRASH_CONTROL!;
const finished = new Set(existsSync(progress) ? readFileSync(progress, 'utf8').split('\n').filter(Boolean).map(Number) : []);

const app = await createApp(readEnv(process.env), silentLogger(), fixedClock(new Date('2026-01-01T00:00:00Z')));
const notifier = slackNotifier({ client: createSlackClient(app.env), locale: 'en', perChannelMs: 0 });
for (const p of phases) {
  if (finished.has(p.phase)) continue;
  // The test's CRM moves on to this phase's data.
  await fetch(`${control}/__phase/${p.phase}`);
  const results = await app.ingest('crm');
  if (results.some((r) => r.status !== 'succeeded')) {
    process.stderr.write(`${JSON.stringify(results)}\n`);
    process.exit(3);
  }
  const now = new Date(p.asOf);
  await app.alerts.evaluate(now);
  let report = await app.alerts.deliver(notifier, now);
  // A lost answer is retried after its backoff (at most an hour): two hours on, it is due again.
  for (let round = 1; round <= 10 && (report.retrying || report.waiting) && !report.failed; round++) {
    report = await app.alerts.deliver(notifier, new Date(now.getTime() + round * 7_200_000));
  }
  if (report.failed || report.retrying || report.waiting) {
    process.stderr.write(`${JSON.stringify(report)}\n`);
    process.exit(4);
  }
  // Written last: a run killed before this line does the phase again, which must change nothing.
  appendFileSync(progress, `${p.phase}\n`);
}
await app.close();
